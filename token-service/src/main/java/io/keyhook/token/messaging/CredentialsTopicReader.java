package io.keyhook.token.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.messaging.OrderedSender;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.ClientRecord;
import io.keyhook.token.view.CredentialView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds the {@link CredentialView} from the compacted {@code keyhook.credentials} topic: every replica reads every
 * partition from the beginning (no consumer group, nothing committed), then follows new records. The service is ready
 * once it has read up to the end offsets it saw at start. A record that cannot be read is counted and skipped.
 */
@ApplicationScoped
public class CredentialsTopicReader {

    private static final Logger LOG = Logger.getLogger(CredentialsTopicReader.class);

    @Inject
    TokenConfig config;

    @Inject
    CredentialView view;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, String> consumer;
    private final AtomicLong applied = new AtomicLong();
    private Counter malformed;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        malformed = registry.counter("keyhook.token.view.malformed.records");
        registry.gauge("keyhook.token.view.clients", view, CredentialView::size);
        view.relevance(config.accessTokenLifetime().plus(config.adminTokenLifetime()).plus(config.clockSkew()));
        thread = new Thread(this::run, "keyhook-credentials-view");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }

    /** True once the view holds everything that was on the topic when the service started. */
    public boolean caughtUp() {
        return caughtUp;
    }

    public long applied() {
        return applied.get();
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> c = newConsumer()) {
                consumer = c;
                follow(c);
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("Reading %s failed (%s); starting over in 2 s", config.kafka().credentialsTopic(),
                        e.toString());
                sleep(2000);
            }
        }
    }

    private void follow(KafkaConsumer<String, String> c) {
        String topic = config.kafka().credentialsTopic();
        List<TopicPartition> partitions = partitions(c, topic);
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = new HashMap<>(c.endOffsets(partitions, Duration.ofSeconds(30)));
        while (running) {
            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                apply(r);
            }
            if (!caughtUp) {
                end.entrySet().removeIf(e -> c.position(e.getKey()) >= e.getValue());
                if (end.isEmpty()) {
                    caughtUp = true;
                    LOG.infof("Credential view caught up: %d clients", view.size());
                }
            }
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, String> c, String topic) {
        while (running) {
            List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            // credentials-service has not started yet: create the topic as it would, so this service can be ready
            try (Admin admin = Admin
                    .create(OrderedSender.adminProperties(config.kafka().bootstrapServers(), Duration.ofSeconds(10)))) {
                OrderedSender.createIfAbsent(admin, List.of(OrderedSender.compacted(topic, config.kafka().partitions(),
                        config.kafka().replicationFactor())), Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WakeupException();
            } catch (Exception e) {
                LOG.debugf("Cannot create %s yet: %s", topic, e.toString());
                sleep(1000);
            }
        }
        throw new WakeupException();
    }

    private void apply(ConsumerRecord<String, String> r) {
        try {
            if (r.value() == null) {
                view.remove(r.key());
            } else {
                ClientRecord record = json.readValue(r.value(), ClientRecord.class);
                if (record.clientId() == null || !record.clientId().equals(r.key())) {
                    throw new IllegalArgumentException("clientId does not match the record key");
                }
                view.apply(record);
            }
            applied.incrementAndGet();
        } catch (Exception e) {
            malformed.increment();
            LOG.warnf("Skipping unreadable %s record at %s-%d@%d: %s", r.topic(), r.topic(), r.partition(), r.offset(),
                    e.getClass().getSimpleName());
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "token-service-credentials-view");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
