package io.keyhook.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
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
 * directory, which is how tests take "Kafka down" and bring it back. Set {@code KEYHOOK_TEST_KAFKA_BOOTSTRAP} to use an
 * external broker instead (stop/start then do nothing). Not {@code KEYHOOK_KAFKA_BOOTSTRAP}: {@code .keyhook/env} sets
 * that one to the local suite's broker, and surefire keeps it out of the tests.
 * <p>
 * Secured ({@code -Dkeyhook.kafka.secure=true} or {@code KEYHOOK_KAFKA_SECURE=true}): its only client listener is
 * SASL_SSL with SCRAM-SHA-512, behind a certificate from a CA made at start ({@link TestCertificates}); there is no
 * PLAINTEXT listener. Clients take {@link #clientProperties()} (tests) or {@link #clientEnvironment()} (services).
 */
public final class KafkaBroker {

    /** The SCRAM user the suite's services and tests log in as. */
    public static final String CLIENT_USER = "keyhook";
    private static final String SCRAM = "SCRAM-SHA-512";

    private static KafkaBroker shared;

    private final int port;
    private final int controllerPort;
    private final Path logDir;
    private final boolean secure;
    /** A broker of one test's own ({@link #separate()}): never the external one. */
    private boolean separate;
    private final String adminPassword = Long.toHexString(new SecureRandom().nextLong()) + "a";
    private final String clientPassword = Long.toHexString(new SecureRandom().nextLong()) + "c";
    private TestCertificates certificates;
    private KafkaRaftServer server;

    private KafkaBroker(boolean secure) {
        int[] ports = freePorts(2);
        this.port = ports[0];
        this.controllerPort = ports[1];
        this.secure = secure;
        try {
            this.logDir = Files.createTempDirectory("keyhook-kafka");
            if (secure) {
                certificates = TestCertificates.in(Files.createTempDirectory("keyhook-kafka-tls"));
                certificates.issue("broker");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        format();
    }

    /** Whether tests in this JVM run against the secured broker. */
    public static boolean secureRequested() {
        return Boolean.getBoolean("keyhook.kafka.secure") || "true".equals(System.getenv("KEYHOOK_KAFKA_SECURE"));
    }

    /** The broker of this JVM, started on first use. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = new KafkaBroker(secureRequested() && external() == null);
            if (external() == null) {
                shared.start();
                Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown));
            }
        }
        return shared;
    }

    /**
     * A plaintext broker of its own, started now and stopped with the JVM: for a test that runs a whole suite with
     * settings of its own beside the shared one (its topics and consumer groups then cannot meet the shared suite's).
     */
    public static KafkaBroker separate() {
        KafkaBroker broker = new KafkaBroker(false);
        broker.separate = true;
        broker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::shutdown));
        return broker;
    }

    public String bootstrapServers() {
        String ext = separate ? null : external();
        return ext != null ? ext : "localhost:" + port;
    }

    public synchronized void start() {
        if ((!separate && external() != null) || server != null) {
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

    public boolean secure() {
        return secure;
    }

    /** What a client needs besides the bootstrap servers: nothing, or SASL_SSL with SCRAM and the test CA. */
    public Map<String, String> securityProperties() {
        if (!secure) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", SCRAM, "sasl.jaas.config",
                jaas(CLIENT_USER, clientPassword), "ssl.truststore.type", "PEM", "ssl.truststore.location",
                certificates.caFile().toString());
    }

    /** Bootstrap servers and {@link #securityProperties()}, for a test's own producer, consumer or admin client. */
    public Properties clientProperties() {
        Properties p = new Properties();
        p.putAll(securityProperties());
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return p;
    }

    /**
     * The environment variables that point a Keyhook service at this broker ({@code KEYHOOK_KAFKA_BOOTSTRAP} and, when
     * secured, {@code KEYHOOK_KAFKA_SECURITY_PROTOCOL}, {@code _SASL_*}, {@code _SSL_*}).
     */
    public Map<String, String> clientEnvironment() {
        Map<String, String> env = new TreeMap<>();
        env.put("KEYHOOK_KAFKA_BOOTSTRAP", bootstrapServers());
        securityProperties()
                .forEach((k, v) -> env.put("KEYHOOK_KAFKA_" + k.toUpperCase(Locale.ROOT).replace('.', '_'), v));
        return env;
    }

    /** The same as {@link #clientEnvironment()}, as Quarkus configuration keys. */
    public Map<String, String> clientConfig() {
        Map<String, String> config = new TreeMap<>();
        config.put("keyhook.kafka.bootstrap-servers", bootstrapServers());
        securityProperties().forEach((k, v) -> config.put("keyhook.kafka." + k, v));
        return config;
    }

    public Admin admin() {
        return Admin.create(clientProperties());
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
        p.put("controller.listener.names", "CONTROLLER");
        if (secure) {
            // the one client listener; the controller's stays in-process on loopback
            p.put("listeners", "SASL_SSL://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
            p.put("advertised.listeners", "SASL_SSL://localhost:" + port);
            p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "SASL_SSL");
            p.put("sasl.enabled.mechanisms", SCRAM);
            p.put("sasl.mechanism.inter.broker.protocol", SCRAM);
            p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("admin", adminPassword));
            p.put("ssl.keystore.type", "PEM");
            p.put("ssl.keystore.location", certificates.dir().resolve("broker.pem").toString());
            p.put("ssl.truststore.type", "PEM");
            p.put("ssl.truststore.location", certificates.caFile().toString());
        } else {
            p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("inter.broker.listener.name", "PLAINTEXT");
        }
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
            if (secure) {
                // SCRAM credentials live in the cluster metadata: they must exist before the broker first starts
                formatter.setScramArguments(List.of(scram("admin", adminPassword), scram(CLIENT_USER, clientPassword)));
            }
            formatter.setFeatureLevel("kraft.version", (short) 0);
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory", e);
        }
    }

    private static String scram(String user, String password) {
        return SCRAM + "=[name=" + user + ",password=" + password + "]";
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static String external() {
        String ext = System.getenv("KEYHOOK_TEST_KAFKA_BOOTSTRAP");
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
