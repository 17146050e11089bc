package io.keyhook.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a service at a real Kafka broker (see {@link KafkaBroker}). */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        // keyhook.kafka.bootstrap-servers and, against the secured broker, its SASL_SSL settings
        return KafkaBroker.shared().clientConfig();
    }

    @Override
    public void stop() {
        // shared by the JVM; stops at exit
    }
}
