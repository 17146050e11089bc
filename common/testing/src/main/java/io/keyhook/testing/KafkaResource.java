package io.keyhook.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points a service at a real Kafka broker (see {@link KafkaBroker}). */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrap, "keyhook.kafka.bootstrap-servers", bootstrap,
                "keyhook.token.kafka.bootstrap-servers", bootstrap, "keyhook.dispatcher.kafka.bootstrap-servers",
                bootstrap);
    }

    @Override
    public void stop() {
        // shared by the JVM; stops at exit
    }
}
