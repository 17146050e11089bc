package io.keyhook.e2e;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One Keyhook service run from its built {@code quarkus-run.jar} as a separate JVM, as in production. */
final class ServiceProcess {

    private final String name;
    private final int port;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ServiceProcess(String name, int port, Map<String, String> env, Path logDir) {
        this(name, name, port, env, logDir);
    }

    /** A further instance of a service, with its own log ({@code instance}.log). */
    ServiceProcess(String name, String instance, int port, Map<String, String> env, Path logDir) {
        this.name = name;
        this.port = port;
        this.env = new HashMap<>(env);
        this.env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        this.log = logDir.resolve(instance + ".log");
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path root() {
        return Path.of(System.getProperty("keyhook.root", "..")).toAbsolutePath().normalize();
    }

    /** The service's name (credentials-service, ...). */
    String name() {
        return name;
    }

    String url() {
        return "http://localhost:" + port;
    }

    /** Starts the process and waits until it is ready (90 s at most). */
    synchronized void start() {
        launch();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!ready()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " not ready after 90 s; see " + log);
            }
            sleep(250);
        }
    }

    /** Starts the process without waiting for anything. */
    synchronized void launch() {
        Path jar = root().resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (./mvnw install)");
        }
        // tests favour start-up time (C1 only); benchmarks want the optimising compiler
        String jit = Boolean.getBoolean("keyhook.e2e.full-jit") ? "-XX:+TieredCompilation" : "-XX:TieredStopAtLevel=1";
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        Boolean.getBoolean("keyhook.e2e.full-jit") ? "-Xmx512m" : "-Xmx256m", jit));
        if (Boolean.getBoolean("keyhook.e2e.gc-log")) {
            command.add("-Xlog:gc:file=" + log.resolveSibling(log.getFileName().toString().replace(".log", "-gc.log")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + name, e);
        }
    }

    synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** kill -9: no shutdown hooks, no draining, no final commit. */
    synchronized void kill() {
        if (process != null) {
            try {
                process.destroyForcibly().waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** The process id (the service must be running). */
    synchronized long pid() {
        return process.pid();
    }

    /** What the service has logged so far. */
    String logText() {
        try {
            return java.nio.file.Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    boolean ready() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(url() + "/q/health/ready").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            return c.getResponseCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + " " + url() + " " + List.of(log);
    }
}
