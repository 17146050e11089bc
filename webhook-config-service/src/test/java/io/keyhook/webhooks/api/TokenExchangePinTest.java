package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.keyhook.webhooks.support.CredentialsStub;
import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Issue 28, point 4: token-exchange sends the webhook's secret to the receiver's token endpoint, so a secret already
 * sent to one site is never sent to another — whatever the webhook (POST, PUT, PATCH), even once the first webhook is
 * gone. credentials-service keeps the pin; this service tells it the site and answers its refusal.
 */
@QuarkusTest
class TokenExchangePinTest {

    // site example.com (TokenUrlPolicy.siteOf), where the secret is first sent
    static final String OWN_URL = "https://receiver.example.com/in";
    static final String OWN_TOKEN_URL = "https://tokens.example.com/oauth2/token";
    // site example.net, a host the admin controls
    static final String OTHER_URL = "https://collector.attacker.example.net/in";
    static final String OTHER_TOKEN_URL = "https://collector.attacker.example.net/token";

    @Inject
    EnvironmentView view;

    static Map<String, Object> exchange(String url, String tokenUrl, String secretId) {
        return Map.of("url", url, "notificationTypes", List.of("patients.created"), "security",
                Map.of("method", "token-exchange", "secretIds", List.of(secretId), "tokenUrl", tokenUrl));
    }

    static void pinnedTo(ValidatableResponse r, String secretId, String site) {
        r.statusCode(422).contentType("application/problem+json").body("code", equalTo("secret_pinned_elsewhere"))
                .body("errors.field", contains("security.secretIds[0]")).body("detail", containsString(site))
                .body("disclosedTo." + secretId, equalTo(site));
    }

    @Test
    void aTokenExchangeSecretGoesOnlyToTheSiteItWasFirstSentTo() {
        String env = Environments.create(view, "patients");
        String s = secret(env);
        String id = as(env).body(exchange(OWN_URL, OWN_TOKEN_URL, s)).post(base(env)).then().statusCode(201).extract()
                .path("id");

        // the admin points the webhook, secret and all, at a host they control
        pinnedTo(as(env)
                .body(Map.of("url", OTHER_URL, "security",
                        Map.of("method", "token-exchange", "secretIds", List.of(s), "tokenUrl", OTHER_TOKEN_URL)))
                .patch(base(env) + "/" + id).then(), s, "example.com");
        pinnedTo(as(env).body(exchange(OTHER_URL, OTHER_TOKEN_URL, s)).put(base(env) + "/" + id).then(), s,
                "example.com");
        as(env).get(base(env) + "/" + id).then().body("url", equalTo(OWN_URL)).body("security.tokenUrl",
                equalTo(OWN_TOKEN_URL));
        assertEquals(List.of(s), CredentialsStub.shared().leasesOf(id));
        assertEquals("example.com", CredentialsStub.shared().disclosedTo(s));

        // the receiver's own site, another token URL: fine
        as(env).body(
                Map.of("security",
                        Map.of("method", "token-exchange", "secretIds", List.of(s), "tokenUrl",
                                "https://receiver.example.com/token")))
                .patch(base(env) + "/" + id).then().statusCode(200);

        // the pin outlives the webhook: the secret has been disclosed
        as(env).delete(base(env) + "/" + id).then().statusCode(204);
        pinnedTo(as(env).body(exchange(OTHER_URL, OTHER_TOKEN_URL, s)).post(base(env)).then(), s, "example.com");
        as(env).get(base(env)).then().body("size()", equalTo(0));

        // a new secret may go there
        String fresh = secret(env);
        as(env).body(exchange(OTHER_URL, OTHER_TOKEN_URL, fresh)).post(base(env)).then().statusCode(201);
        assertEquals("example.net", CredentialsStub.shared().disclosedTo(fresh));
    }

    @Test
    void signingDisclosesNothingSoASigningSecretIsNotPinned() {
        String env = Environments.create(view, "patients");
        String s = secret(env);
        String id = as(env)
                .body(Map.of("url", OTHER_URL, "notificationTypes", List.of("patients.created"), "security",
                        Map.of("method", "standard-webhooks", "secretIds", List.of(s))))
                .post(base(env)).then().statusCode(201).extract().path("id");
        assertEquals(null, CredentialsStub.shared().disclosedTo(s));
        // switching the same secrets to token-exchange discloses them: a lease with the site, even though the set of
        // secrets did not change
        as(env).body(exchange(OWN_URL, OWN_TOKEN_URL, s)).put(base(env) + "/" + id).then().statusCode(200);
        assertEquals("example.com", CredentialsStub.shared().disclosedTo(s));
    }
}
