package io.keyhook.credentials;

import io.keyhook.testing.JwtResource;
import io.keyhook.testing.KafkaResource;
import io.keyhook.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Real PostgreSQL, a real Kafka broker and trusted test tokens for every test of this service. Global scope: all test
 * classes share one Quarkus boot.
 */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "credentials_test"))
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
public final class CredentialsTestResources {

    private CredentialsTestResources() {
    }
}
