package io.keyhook.dispatcher;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.keyhook.testing.JwtResource;
import io.keyhook.testing.KafkaResource;
import io.keyhook.testing.PostgresResource;
import io.keyhook.testing.StubHttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Real PostgreSQL and Kafka and trusted test tokens for every test of the dispatcher. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "dispatcher_test"))
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = DispatcherTestResources.Services.class, scope = TestResourceScope.GLOBAL)
public final class DispatcherTestResources {

    /** Requests the stubbed token-service and webhook-config-service received ("METHOD path"). */
    public static final List<String> SERVICE_CALLS = new CopyOnWriteArrayList<>();
    /** Their bodies, in the same order ("METHOD path body"). */
    public static final List<String> SERVICE_BODIES = new CopyOnWriteArrayList<>();

    private static final StubHttpServer SERVICES = new StubHttpServer(ex -> {
        String call = ex.getRequestMethod() + " " + ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (call.equals("POST /oauth2/token")) {
            StubHttpServer.respond(ex, 200, "{\"access_token\":\"svc\",\"token_type\":\"Bearer\",\"expires_in\":900}");
        } else if ("Bearer svc".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            SERVICE_BODIES.add(call + " " + new String(body, java.nio.charset.StandardCharsets.UTF_8));
            SERVICE_CALLS.add(call);
            StubHttpServer.respond(ex, 200, "{}");
        } else {
            StubHttpServer.respond(ex, 401, "{}");
        }
    });

    private DispatcherTestResources() {
    }

    /** token-service and webhook-config-service, as far as the dispatcher talks to them. */
    public static class Services implements QuarkusTestResourceLifecycleManager {

        @Override
        public Map<String, String> start() {
            return Map.of("keyhook.dispatcher.services.webhooks-url", SERVICES.url(),
                    "quarkus.oidc-client.auth-server-url", SERVICES.url() + "/oauth2/token",
                    "quarkus.oidc-client.client-id", "adm_test", "quarkus.oidc-client.credentials.secret",
                    "whsec_test");
        }

        @Override
        public void stop() {
            // shared by the JVM
        }
    }
}
