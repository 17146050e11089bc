package io.keyhook.dispatcher.api;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.keyhook.testing.OpenApiDrift;
import io.quarkus.test.junit.QuarkusTest;

/** The committed {@code openapi/webhook-dispatcher.yaml} is what the service serves (see {@link OpenApiDrift}). */
@QuarkusTest
class OpenApiDriftTest {

    @Test
    void servedOpenApiMatchesTheCommittedCopy() throws Exception {
        OpenApiDrift.assertServedEquals(Path.of("openapi/webhook-dispatcher.yaml"));
    }
}
