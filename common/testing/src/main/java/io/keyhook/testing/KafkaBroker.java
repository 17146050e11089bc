package io.keyhook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real single-node KRaft Kafka broker in the test JVM. It can be stopped and started again on the same port and log
 * directory, which is how tests take "Kafka down" and bring it back. Set {@code KEYHOOK_KAFKA_BOOTSTRAP} to use an
 * external broker instead (stop/start then do nothing).
 */
public final class KafkaBroker {

    private static KafkaBroker shared;

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private KafkaRaftServer server;

    private KafkaBroker() {
        int[] ports = freePorts(2);
        this.port = ports[0];
        this.controllerPort = ports[1];
        try {
            this.logDir = Files.createTempDirectory("keyhook-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        format();
    }

    /** The broker of this JVM, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = new KafkaBroker();
            if (external() == null) {
                shared.start();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown));
            }
        }
        return shared;
    }

    public String bootstrapServers() {
        String ext = external();
        return ext != null ? ext : "localhost:" + port;
    }

    public synchronized void start() {
        if (external() != null || server != null) {
            return;
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(properties()), Time.SYSTEM);
        server.startup();
        awaitReady();
    }

    /** Stops the broker; clients see it as down until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    public Admin admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(p);
    }

    private void shutdown() {
        stop();
        try (var paths = Files.walk(logDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort at JVM exit
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Admin admin = admin()) {
                admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka broker did not become ready", e);
                }
                sleep(Duration.ofMillis(200));
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("min.insync.replicas", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", "3");
        // records up to 8 MiB reach the broker (the dispatcher dead-letters what is too large to deliver)
        p.put("message.max.bytes", String.valueOf(8 * 1024 * 1024));
        p.put("replica.fetch.max.bytes", String.valueOf(8 * 1024 * 1024));
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        return p;
    }

    private void format() {
        try {
            Formatter formatter = new Formatter().setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                    .setDirectories(List.of(logDir.toString())).setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName("CONTROLLER").setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setUnstableFeatureVersionsEnabled(false).setIgnoreFormatted(true);
            formatter.setPrintStream(System.out);
            formatter.setFeatureLevel("kraft.version", (short) 0);
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory", e);
        }
    }

    private static String external() {
        String ext = System.getenv("KEYHOOK_KAFKA_BOOTSTRAP");
        return ext == null || ext.isBlank() ? null : ext;
    }

    /** Distinct free ports: the sockets stay open together, so the OS cannot hand out one twice. */
    private static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0);
                ports[i] = sockets[i].getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    if (s != null) {
                        s.close();
                    }
                } catch (IOException e) {
                    // closing a probe socket; nothing to do
                }
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
