package io.keyhook.token.support;

import java.util.Map;

import io.keyhook.testing.KafkaResource;
import io.keyhook.testing.PostgresResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Real PostgreSQL and Kafka for every test, plus the credentials-service stub. The admin API of this service trusts
 * this service's own JWKS, as in production, so admin tests log in through the token endpoint.
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "tokens_test"))
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = TokenTestResources.Stub.class, scope = TestResourceScope.GLOBAL)
public final class TokenTestResources {

    private TokenTestResources() {
    }

    /** Points the service at the {@link CredentialsStub}. */
    public static class Stub implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of("keyhook.token.credentials.url", CredentialsStub.shared().url());
        }

        @Override
        public void stop() {
            // shared by the JVM
        }
    }
}
