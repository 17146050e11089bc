package io.keyhook.webhooks.support;

import java.util.HashMap;
import java.util.Map;

import io.keyhook.testing.JwtResource;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.KafkaResource;
import io.keyhook.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Real PostgreSQL and Kafka, trusted test tokens, the credentials-service/token-service stub, and a real SMTP server
 * ({@link Smtp}).
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "webhooks_test"))
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WebhookTestResources.Stub.class, scope = TestResourceScope.GLOBAL)
public final class WebhookTestResources {

    private WebhookTestResources() {
    }

    /** Points the service at the {@link CredentialsStub}. */
    public static class Stub implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            String url = CredentialsStub.shared().url();
            Map<String, String> config = new HashMap<>(KafkaBroker.shared().clientConfig());
            config.putAll(Map.of("keyhook.webhooks.credentials.url", url, "keyhook.webhooks.dispatcher.url", url,
                    "quarkus.oidc-client.auth-server-url", url + "/oauth2/token",
                    "keyhook.webhooks.destinations.allowed-cidrs", "10.20.0.0/16"));
            // the operator's SMTP server (issue 31): a real one, GreenMail, plain SMTP
            config.putAll(Map.of("keyhook.notifications.smtp.host", "127.0.0.1", "keyhook.notifications.smtp.port",
                    String.valueOf(Smtp.shared().port()), "keyhook.notifications.smtp.start-tls", "DISABLED",
                    "keyhook.notifications.smtp.from", "keyhook@keyhook.example.test"));
            return config;
        }

        @Override
        public void stop() {
            // shared by the JVM
        }
    }
}
