package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.testing.TopicReader;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Per-webhook tuning (issue 31): each field within the operator's bounds (else a stable problem code naming the field
 * or the header, never a header's value), saved, shown, published in {@code WebhookState.tuning} (absent when all are
 * the default), and changed by PATCH field by field.
 */
@QuarkusTest
class WebhookTuningTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    EnvironmentView view;

    private static Map<String, Object> webhook(String env, Map<String, Object> tuning) {
        Map<String, Object> body = new HashMap<>(
                Map.of("url", "https://receiver.example.com/hooks", "notificationTypes", List.of("patients.updated"),
                        "security", Map.of("method", "standard-webhooks", "secretIds", List.of(secret(env)))));
        body.putAll(tuning);
        return body;
    }

    @Test
    void tuningIsSavedShownPublishedAndPatchedFieldByField() throws Exception {
        String env = Environments.create(view, "patients");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Tenant", "tenant 42");
        headers.put("x-api-version", "2");
        String id = as(env)
                .body(webhook(env,
                        Map.of("timeoutMs", 5000, "maxInFlight", 4, "rateLimitPerSecond", 200, "headers", headers)))
                .post(base(env)).then().statusCode(201).body("timeoutMs", equalTo(5000)).body("maxInFlight", equalTo(4))
                .body("rateLimitPerSecond", equalTo(200)).body("headers.X-Tenant", equalTo("tenant 42")).extract()
                .path("id");
        as(env).get(base(env) + "/" + id).then().statusCode(200).body("timeoutMs", equalTo(5000))
                .body("headers.x-api-version", equalTo("2"));
        JsonNode published = latest(id, 1);
        assertEquals(5000, published.path("tuning").path("timeoutMs").asInt());
        assertEquals(200, published.path("tuning").path("rateLimitPerSecond").asInt());
        assertEquals("tenant 42", published.path("tuning").path("headers").path("X-Tenant").asText());

        // absent: unchanged; null: back to the default
        Map<String, Object> patch = new HashMap<>();
        patch.put("timeoutMs", null);
        patch.put("maxInFlight", 8);
        as(env).body(patch).patch(base(env) + "/" + id).then().statusCode(200).body("timeoutMs", nullValue())
                .body("maxInFlight", equalTo(8)).body("rateLimitPerSecond", equalTo(200))
                .body("headers.X-Tenant", equalTo("tenant 42"));
        JsonNode second = latest(id, 2);
        assertFalse(second.path("tuning").has("timeoutMs"), second.toString());
        assertEquals(8, second.path("tuning").path("maxInFlight").asInt());

        // every field back to the default: the record has no tuning at all, as before issue 31
        Map<String, Object> reset = new HashMap<>();
        reset.put("maxInFlight", null);
        reset.put("rateLimitPerSecond", null);
        reset.put("headers", Map.of());
        as(env).body(reset).patch(base(env) + "/" + id).then().statusCode(200).body("headers", nullValue());
        assertFalse(latest(id, 3).has("tuning"), "no tuning published when all are the default");
    }

    @Test
    void aWebhookWithoutTuningIsPublishedWithoutIt() throws Exception {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook(env, Map.of())).post(base(env)).then().statusCode(201)
                .body("timeoutMs", nullValue()).body("headers", nullValue()).extract().path("id");
        assertFalse(latest(id, 1).has("tuning"));
    }

    @Test
    void numbersOutsideTheBoundsAreRefusedNamingTheField() {
        String env = Environments.create(view, "patients");
        for (Map.Entry<String, Object> bad : List.of(Map.<String, Object> entry("timeoutMs", 999),
                Map.<String, Object> entry("timeoutMs", 30001), Map.<String, Object> entry("maxInFlight", 0),
                Map.<String, Object> entry("maxInFlight", 65), Map.<String, Object> entry("rateLimitPerSecond", 0),
                Map.<String, Object> entry("rateLimitPerSecond", 1001))) {
            as(env).body(webhook(env, Map.of(bad.getKey(), bad.getValue()))).post(base(env)).then().statusCode(422)
                    .body("code", equalTo("tuning_out_of_bounds")).body("errors[0].field", equalTo(bad.getKey()));
        }
        String id = as(env).body(webhook(env, Map.of())).post(base(env)).then().statusCode(201).extract().path("id");
        as(env).body(Map.of("maxInFlight", 100)).patch(base(env) + "/" + id).then().statusCode(422).body("code",
                equalTo("tuning_out_of_bounds"));
        as(env).get(base(env) + "/" + id).then().statusCode(200).body("maxInFlight", nullValue());
    }

    @Test
    void badHeadersAreRefusedByNameAndTheirValuesAreNeverEchoed() {
        String env = Environments.create(view, "patients");
        String id = as(env).body(webhook(env, Map.of())).post(base(env)).then().statusCode(201).extract().path("id");
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put("header_name_denied", new String[] { "Webhook-Signature", "v1,forged" });
        cases.put("header_name_denied ", new String[] { "AUTHORIZATION", "Bearer stolen-token-value" });
        cases.put("header_name_denied  ", new String[] { "content-type", "text/plain" });
        cases.put("header_name_denied   ", new String[] { "Transfer-Encoding", "chunked" });
        cases.put("header_name_denied    ", new String[] { "Host", "evil.example" });
        cases.put("header_name_denied     ", new String[] { "Cookie", "session=abc" });
        cases.put("header_value_invalid", new String[] { "X-Tenant", "a\r\nX-Injected: secret-marker" });
        cases.put("header_value_invalid ", new String[] { "X-Nul", "a\u0000secret-marker" });
        cases.put("header_name_invalid", new String[] { "X Bad Name", "some-value" });
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            String name = c.getValue()[0];
            String body = as(env).body(Map.of("headers", Map.of(name, c.getValue()[1]))).patch(base(env) + "/" + id)
                    .then().statusCode(422).body("code", equalTo(c.getKey().trim())).body("header", not(nullValue()))
                    .extract().asString();
            assertFalse(body.contains(c.getValue()[1]), body);
            assertFalse(body.contains("secret-marker"), body);
        }
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("X-Tenant", "a");
        twice.put("x-tenant", "b");
        as(env).body(Map.of("headers", twice)).patch(base(env) + "/" + id).then().statusCode(422)
                .body("code", equalTo("header_duplicate")).body("header", equalTo("x-tenant"));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            many.put("x-h" + i, "v");
        }
        as(env).body(Map.of("headers", many)).patch(base(env) + "/" + id).then().statusCode(422).body("code",
                equalTo("too_many_headers"));
        as(env).body(Map.of("headers", Map.of("x-long", "v".repeat(1025)))).patch(base(env) + "/" + id).then()
                .statusCode(422).body("code", equalTo("header_value_invalid"));
        // nothing was saved by any refusal
        String shown = as(env).get(base(env) + "/" + id).then().statusCode(200).extract().asString();
        assertTrue(shown.contains("\"headers\":null"), shown);
    }

    /** The newest keyhook.webhooks record of the webhook, once it has {@code version}. */
    private static JsonNode latest(String id, long version) throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> records(id).stream()
                .anyMatch(r -> r.value() != null && read(r).path("version").asLong() == version));
        return records(id).stream().filter(r -> r.value() != null).map(WebhookTuningTest::read)
                .filter(n -> n.path("version").asLong() == version).findFirst().orElseThrow();
    }

    private static List<ConsumerRecord<String, String>> records(String id) {
        return TopicReader.readAll("keyhook.webhooks").stream().filter(r -> id.equals(r.key())).toList();
    }

    private static JsonNode read(ConsumerRecord<String, String> r) {
        try {
            return JSON.readTree(r.value());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
