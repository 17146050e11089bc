package io.keyhook.console.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the console at the {@link ServicesStub}, on a free port. */
public class ConsoleTestResources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String url = ServicesStub.shared().url();
        return Map.of("keyhook.console.token-url", url + "/oauth2/token", "keyhook.console.credentials-url", url,
                "keyhook.console.webhooks-url", url, "keyhook.console.dispatcher-url", url, "quarkus.http.test-port",
                "0");
    }

    @Override
    public void stop() {
        // shared by the JVM
    }
}
