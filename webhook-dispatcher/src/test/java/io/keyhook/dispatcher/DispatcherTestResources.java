package io.keyhook.dispatcher;

import io.keyhook.testing.JwtResource;
import io.keyhook.testing.KafkaResource;
import io.keyhook.testing.PostgresResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real PostgreSQL and Kafka and trusted test tokens for every test of the dispatcher. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "dispatcher_test"))
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
public final class DispatcherTestResources {

    private DispatcherTestResources() {
    }
}
