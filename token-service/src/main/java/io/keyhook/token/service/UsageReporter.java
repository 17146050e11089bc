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
 * Remembers when each secret last issued a token and reports it to credentials-service now and then (lastUsedAt in the
 * secret listings). Off the hot path: a map write per token; if the report fails, the uses are kept for the next.
 */
@ApplicationScoped
public class UsageReporter {

    private static final Logger LOG = Logger.getLogger(UsageReporter.class);
    private static final int BATCH = 500;

    @Inject
    GuardedCredentialsApi credentials;

    @Inject
    TokenConfig config;

    private final ConcurrentHashMap<String, Instant> pending = new ConcurrentHashMap<>();
    private BackgroundLoop loop;

    void start(@Observes StartupEvent event) {
        Duration every = config.credentials().usageReportInterval();
        loop = BackgroundLoop.start("keyhook-usage-reporter", every, every, this::report);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    public void used(String secretId, Instant at) {
        pending.merge(secretId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    void report() {
        List<CredentialsApi.SecretUse> uses = new ArrayList<>();
        for (Map.Entry<String, Instant> e : pending.entrySet()) {
            uses.add(new CredentialsApi.SecretUse(e.getKey(), e.getValue()));
        }
        for (int i = 0; i < uses.size(); i += BATCH) {
            List<CredentialsApi.SecretUse> batch = uses.subList(i, Math.min(uses.size(), i + BATCH));
            try {
                credentials.reportUsage(new CredentialsApi.SecretUsage(batch)).await().atMost(Duration.ofSeconds(10));
                // drop what was reported unless a newer use came in meanwhile
                batch.forEach(u -> pending.remove(u.secretId(), u.usedAt()));
            } catch (RuntimeException e) {
                LOG.debugf("Secret usage report failed (%s); keeping %d uses for the next round", e.toString(),
                        pending.size());
                return;
            }
        }
    }
}
