package io.keyhook.token.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.keyhook.core.concurrent.BackgroundLoop;
import io.keyhook.token.client.CredentialsApi;
import io.keyhook.token.client.GuardedCredentialsApi;
import io.keyhook.token.config.TokenConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Remembers when each private_key_jwt client's key (client id, kid) last authenticated and reports it to
 * credentials-service ({@code POST /internal/v1/key-usage}) now and then, like {@link UsageReporter} does for secrets:
 * a map write per token; if the report fails, the uses are kept for the next.
 */
@ApplicationScoped
public class KeyUsageReporter {

    private static final Logger LOG = Logger.getLogger(KeyUsageReporter.class);
    private static final int BATCH = 500;

    /** The map key: client id and kid (a client id has no spaces). */
    private record KeyOf(String clientId, String kid) {
    }

    @Inject
    GuardedCredentialsApi credentials;

    @Inject
    TokenConfig config;

    private final ConcurrentHashMap<KeyOf, Instant> pending = new ConcurrentHashMap<>();
    private BackgroundLoop loop;

    void start(@Observes StartupEvent event) {
        Duration every = config.credentials().usageReportInterval();
        loop = BackgroundLoop.start("keyhook-key-usage-reporter", every, every, this::report);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    public void used(String clientId, String kid, Instant at) {
        pending.merge(new KeyOf(clientId, kid), at, (a, b) -> a.isAfter(b) ? a : b);
    }

    void report() {
        List<Map.Entry<KeyOf, Instant>> uses = new ArrayList<>(pending.entrySet());
        for (int i = 0; i < uses.size(); i += BATCH) {
            List<Map.Entry<KeyOf, Instant>> batch = uses.subList(i, Math.min(uses.size(), i + BATCH));
            try {
                credentials.reportKeyUsage(new CredentialsApi.KeyUsage(batch.stream()
                        .map(e -> new CredentialsApi.KeyUse(e.getKey().clientId(), e.getKey().kid(), e.getValue()))
                        .toList())).await().atMost(Duration.ofSeconds(10));
                // drop what was reported unless a newer use came in meanwhile
                batch.forEach(e -> pending.remove(e.getKey(), e.getValue()));
            } catch (RuntimeException e) {
                LOG.debugf("Key usage report failed (%s); keeping %d uses for the next round", e.toString(),
                        pending.size());
                return;
            }
        }
    }
}
