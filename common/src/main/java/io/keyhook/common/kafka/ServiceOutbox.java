package io.keyhook.common.kafka;

import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.NewTopic;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A service's {@code <schema>.outbox}, published by the one {@link OutboxRelay} from start to shutdown, with its
 * backlog as the gauge {@code keyhook_outbox_pending} and {@code keyhook_outbox_listening} (1 while commits wake it). A
 * service subclasses it as an {@code @ApplicationScoped} bean naming its schema, topics, client id and advisory-lock
 * id; everything else is here.
 */
public abstract class ServiceOutbox {

    @Inject
    protected KafkaSettings settings;

    @Inject
    protected KafkaClients kafka;

    @Inject
    protected Pool pool;

    @Inject
    protected MeterRegistry registry;

    private OutboxRelay.Running running;

    /** The schema holding the {@code outbox} table. */
    protected abstract String schema();

    /** The topics its rows go to (created when missing, where topic creation is allowed). */
    protected abstract List<NewTopic> topics();

    /** The Kafka client id of the relay's producer. */
    protected abstract String clientId();

    /** The PostgreSQL advisory lock that lets one replica publish at a time: fixed, and unique in the suite. */
    protected abstract long lockId();

    // protected: the subclasses live in the services' packages, and observers are inherited like methods
    protected void start(@Observes StartupEvent event) {
        running = OutboxRelay.start(pool, kafka, settings, clientId(), topics(), schema(), lockId());
        registry.gauge("keyhook.outbox.pending", running.relay().pending());
        // 0 = commits are not heard (no LISTEN connection): changes go out at the interval only
        registry.gauge("keyhook.outbox.listening", running, r -> r.hearsCommits() ? 1 : 0);
    }

    protected void stop(@Observes ShutdownEvent event) {
        if (running != null) {
            running.close();
        }
    }
}
