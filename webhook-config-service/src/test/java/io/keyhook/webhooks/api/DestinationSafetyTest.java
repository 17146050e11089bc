package io.keyhook.webhooks.api;

import static io.keyhook.webhooks.api.WebhookApiTest.as;
import static io.keyhook.webhooks.api.WebhookApiTest.base;
import static io.keyhook.webhooks.api.WebhookApiTest.secret;
import static io.keyhook.webhooks.api.WebhookApiTest.webhook;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.keyhook.webhooks.support.Environments;
import io.keyhook.webhooks.view.EnvironmentView;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The SSRF table through the API: every spelling of an inside address is refused when saved, as are names that resolve
 * inside; the operator's allow-listed range (10.20.0.0/16 in tests) is accepted. Nothing is saved on refusal.
 */
@QuarkusTest
class DestinationSafetyTest {

    @Inject
    EnvironmentView view;

    @ParameterizedTest
    @CsvSource({ "https://127.0.0.1/h, destination_not_public", "https://localhost/h, destination_not_public",
            "https://0x7f000001/h, destination_not_public", "https://2130706433/h, destination_not_public",
            "https://017700000001/h, destination_not_public", "https://[::1]/h, destination_not_public",
            "https://[::ffff:127.0.0.1]/h, destination_not_public",
            "https://169.254.169.254/latest/meta-data, destination_not_public",
            "https://10.0.0.1/h, destination_not_public", "https://[fd00::1]/h, destination_not_public",
            "https://100.64.0.1/h, destination_not_public", "https://internal.example.com/h, destination_not_public",
            "https://metadata.example.com/h, destination_not_public",
            "http://receiver.example.com/h, destination_scheme", "ftp://receiver.example.com/h, destination_scheme",
            "https://user:pw@receiver.example.com/h, destination_userinfo",
            "https://nowhere.example.com/h, destination_unresolvable" })
    void unsafeDestinationsAreRefusedWhenSaved(String url, String code) {
        String env = Environments.create(view, "patients");
        as(env).body(webhook(url, List.of("patients.created"), "standard-webhooks", List.of(secret(env))))
                .post(base(env)).then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo(code)).body("errors.field", contains("url"));
        as(env).get(base(env)).then().body("", empty());
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://10.20.3.4/h", "https://partner.example.com/h", "https://receiver.example.com/h" })
    void allowListedRangesAndPublicDestinationsAreAccepted(String url) {
        String env = Environments.create(view, "patients");
        as(env).body(webhook(url, List.of("patients.created"), "standard-webhooks", List.of(secret(env))))
                .post(base(env)).then().statusCode(201).body("url", equalTo(url));
    }
}
