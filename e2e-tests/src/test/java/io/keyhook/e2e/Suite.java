package io.keyhook.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.keyhook.core.crypto.SecretGenerator;
import io.keyhook.testing.KafkaBroker;
import io.keyhook.testing.Postgres;

/**
 * The suite as it runs in production, once per test JVM: real PostgreSQL and Kafka, credentials-service and
 * token-service as separate processes on free ports, wired the way {@code ./keyhook up} wires them (admin APIs trust
 * token-service's JWKS; a bootstrap operator client).
 */
final class Suite {

    static final String OPERATOR_ID = "adm_e2e_operator";
    /** The events topic, made with the production manifests' 12 partitions before any service starts. */
    static final String DATA_CHANGES = "keyhook.data-changes";
    static final String OPERATOR_SECRET = SecretGenerator.newSecret();
    static final String SERVICE_ID = "adm_e2e_services";
    static final String SERVICE_SECRET = SecretGenerator.newSecret();

    private static Suite instance;

    final ServiceProcess credentials;
    final ServiceProcess tokens;
    final ServiceProcess webhooks;
    final ServiceProcess dispatcher;
    /** Where the services export the spans of sampled traces. */
    final OtlpCollector collector = new OtlpCollector();
    /** How the services were started, for further instances. */
    final Map<String, String> env;
    final Path logs;
    /** The broker this suite's services use. */
    final KafkaBroker broker;

    private Suite() throws IOException {
        // the secured run (-Dkeyhook.e2e.run=secured) keeps its logs apart from the plain run's
        this(System.getProperty("keyhook.e2e.run", ""), "keyhook_e2e", KafkaBroker.shared(), Map.of());
    }

    /**
     * A suite named {@code name} (its home and logs under e2e-tests/target) on {@code database} and {@code broker}, its
     * services started with {@code overrides} on top of the usual settings.
     */
    private Suite(String name, String database, KafkaBroker broker, Map<String, String> overrides) throws IOException {
        this.broker = broker;
        String run = name;
        Path home = Files.createDirectories(
                ServiceProcess.root().resolve("e2e-tests/target/keyhook-home" + (run.isEmpty() ? "" : "-" + run)));
        Path logs = Files.createDirectories(
                ServiceProcess.root().resolve("e2e-tests/target/service-logs" + (run.isEmpty() ? "" : "-" + run)));
        int credentialsPort = ServiceProcess.freePort();
        int tokenPort = ServiceProcess.freePort();
        int webhooksPort = ServiceProcess.freePort();
        int dispatcherPort = ServiceProcess.freePort();
        Map<String, String> env = new HashMap<>();
        // the database and, against the TLS-only server (-Dkeyhook.postgres.tls=true), verify-full with its CA
        env.putAll(Postgres.clientEnvironment(database));
        // KEYHOOK_KAFKA_BOOTSTRAP and, against the secured broker (-Dkeyhook.kafka.secure=true), its SASL_SSL keys
        env.putAll(broker.clientEnvironment());
        env.put("KEYHOOK_HOME", home.toString());
        env.put("KEYHOOK_ISSUER", "http://localhost:" + tokenPort);
        env.put("KEYHOOK_JWKS_URL", "http://localhost:" + tokenPort + "/.well-known/jwks.json");
        env.put("KEYHOOK_CREDENTIALS_URL", "http://localhost:" + credentialsPort);
        env.put("KEYHOOK_CREDENTIALS_BOOTSTRAP_OPERATOR_CLIENT_ID", OPERATOR_ID);
        env.put("KEYHOOK_CREDENTIALS_BOOTSTRAP_OPERATOR_SECRET", OPERATOR_SECRET);
        env.put("KEYHOOK_CREDENTIALS_BOOTSTRAP_SERVICE_CLIENT_ID", SERVICE_ID);
        env.put("KEYHOOK_CREDENTIALS_BOOTSTRAP_SERVICE_SECRET", SERVICE_SECRET);
        env.put("KEYHOOK_SERVICE_CLIENT_ID", SERVICE_ID);
        env.put("KEYHOOK_SERVICE_CLIENT_SECRET", SERVICE_SECRET);
        env.put("KEYHOOK_TOKEN_URL", "http://localhost:" + tokenPort + "/oauth2/token");
        env.put("KEYHOOK_WEBHOOKS_URL", "http://localhost:" + webhooksPort);
        env.put("KEYHOOK_DISPATCHER_URL", "http://localhost:" + dispatcherPort);
        // a receiver on this machine, as in local development
        env.put("KEYHOOK_WEBHOOKS_DESTINATIONS_ALLOW_HTTP", "true");
        env.put("KEYHOOK_WEBHOOKS_DESTINATIONS_ALLOWED_CIDRS", "127.0.0.0/8");
        env.put("KEYHOOK_DISPATCHER_DELIVERY_ALLOW_HTTP", "true");
        env.put("KEYHOOK_DISPATCHER_DELIVERY_ALLOWED_CIDRS", "127.0.0.0/8");
        // benchmarks may tune the dispatcher (e.g. -Dkeyhook.e2e.dispatcher.poll-interval=20ms)
        String poll = System.getProperty("keyhook.e2e.dispatcher.poll-interval");
        if (poll != null) {
            env.put("KEYHOOK_DISPATCHER_DELIVERY_POLL_INTERVAL", poll);
        }
        // the fault checks compress the retry schedule and the breaker's pause
        String schedule = System.getProperty("keyhook.e2e.dispatcher.retry-schedule");
        if (schedule != null) {
            env.put("KEYHOOK_DISPATCHER_DELIVERY_RETRY_SCHEDULE", schedule);
            env.put("KEYHOOK_DISPATCHER_DELIVERY_BREAKER_OPEN_FOR", "2s");
            env.put("KEYHOOK_DISPATCHER_DELIVERY_BREAKER_MAX_OPEN_FOR", "8s");
        }
        // guided rotations that finish on their own are checked every second (default 15 s)
        env.put("KEYHOOK_WEBHOOKS_ROTATION_CHECK_INTERVAL", "1s");
        // verified rotations: the old secret must be unused for 3 s (default 10 min), its uses reported every second
        env.put("KEYHOOK_WEBHOOKS_ROTATION_QUIET_PERIOD", "3s");
        env.put("KEYHOOK_TOKEN_CREDENTIALS_USAGE_REPORT_INTERVAL", "1s");
        // guided key rotations likewise: the old key must be unused for 3 s (default 10 min)
        env.put("KEYHOOK_CREDENTIALS_KEY_ROTATION_QUIET_PERIOD", "3s");
        // the end-to-end scenarios request many tokens for few clients
        env.put("KEYHOOK_TOKEN_LIMITS_ISSUANCE_MAX", "10000");
        // load benchmarks ask for far more tokens per client (-Dkeyhook.e2e.issuance-limit=false)
        if ("false".equals(System.getProperty("keyhook.e2e.issuance-limit"))) {
            env.put("KEYHOOK_TOKEN_LIMITS_ISSUANCE_ENABLED", "false");
        }
        // spans of the traces a test samples go to a stand-in collector, quickly
        env.put("KEYHOOK_OTLP_ENDPOINT", collector.url());
        env.put("KEYHOOK_OTLP_PROTOCOL", "http/protobuf");
        env.put("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms");
        env.putAll(overrides);
        this.env = Map.copyOf(env);
        this.logs = logs;
        createDataChangesTopic();
        credentials = new ServiceProcess("credentials-service", credentialsPort, env, logs);
        tokens = new ServiceProcess("token-service", tokenPort, env, logs);
        webhooks = new ServiceProcess("webhook-config-service", webhooksPort, env, logs);
        dispatcher = new ServiceProcess("webhook-dispatcher", dispatcherPort, env, logs);
        if (broker == KafkaBroker.shared()) {
            credentials.start();
            tokens.start();
            webhooks.start();
            dispatcher.start();
        } else {
            // a suite of its own starts its services together, as ./keyhook up does
            java.util.List<Thread> starting = java.util.stream.Stream.of(credentials, tokens, webhooks, dispatcher)
                    .map(p -> {
                        Thread t = new Thread(p::start, "start-" + p.name());
                        t.start();
                        return t;
                    }).toList();
            for (Thread t : starting) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            for (ServiceProcess p : java.util.List.of(credentials, tokens, webhooks, dispatcher)) {
                if (!p.ready()) {
                    throw new IllegalStateException(p.name() + " did not start; see " + logs);
                }
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            dispatcher.stop();
            webhooks.stop();
            tokens.stop();
            credentials.stop();
        }));
    }

    /**
     * A suite of its own beside the shared one, for a test that needs settings no other test may see (a compressed
     * retry schedule, say): its own database {@code keyhook_<name>} on the suite's PostgreSQL server, its own broker,
     * the four back-end services (the console is started on first use, as for the shared suite). Stopped with the JVM.
     */
    static Suite separate(String name, Map<String, String> overrides) {
        try {
            return new Suite(name, "keyhook_" + name, KafkaBroker.separate(), overrides);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void createDataChangesTopic() {
        try (var admin = broker.admin()) {
            if (!admin.listTopics().names().get().contains(DATA_CHANGES)) {
                admin.createTopics(
                        java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(DATA_CHANGES, 12, (short) 1)))
                        .all().get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot create " + DATA_CHANGES, e);
        }
    }

    private ServiceProcess console;

    /** The web console, started on first use (only the console's tests need it). */
    synchronized ServiceProcess console() {
        if (console == null) {
            Map<String, String> consoleEnv = new HashMap<>(env);
            consoleEnv.put("KEYHOOK_DISPATCHER_URL", dispatcher.url());
            console = new ServiceProcess("console", ServiceProcess.freePort(), consoleEnv, logs);
            console.start();
            ServiceProcess c = console;
            Runtime.getRuntime().addShutdownHook(new Thread(c::stop));
        }
        return console;
    }

    static synchronized Suite get() {
        if (instance == null) {
            try {
                instance = new Suite();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }
}
