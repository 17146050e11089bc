package io.keyhook.console.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the console at the {@link ServicesStub}, on a free port. */
public class ConsoleTestResources implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String url = ServicesStub.shared().url();
        // every page test signs in from 127.0.0.1, more than 30 times a minute once the suite has a few dozen
        // tests: the per-address limit has its own test (SignInAbuseTest) and would only refuse the suite here
        return Map.of("keyhook.console.token-url", url + "/oauth2/token", "keyhook.console.credentials-url", url,
                "keyhook.console.webhooks-url", url, "keyhook.console.dispatcher-url", url, "quarkus.http.test-port",
                "0", "keyhook.console.sign-in-attempts-per-minute", "10000");
    }

    @Override
    public void stop() {
        // shared by the JVM
    }
}
