package io.keyhook.token.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.token.config.TokenConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * The token endpoints' abuse protection: failed authentications per client id and per source address, and issuance per
 * client. Checked before any costly work; one client's limit never touches another's.
 */
@ApplicationScoped
public class AbuseLimits {

    private final AttemptLimiter failuresByClient;
    private final AttemptLimiter failuresBySource;
    private final AttemptLimiter issuance;

    AbuseLimits(TokenConfig config) {
        var f = config.limits().failedAuthentication();
        var i = config.limits().issuance();
        int cap = config.limits().maxTrackedKeys();
        failuresByClient = new AttemptLimiter(f.max(), f.window().toMillis(), f.block().toMillis(), cap);
        failuresBySource = new AttemptLimiter(f.max(), f.window().toMillis(), f.block().toMillis(), cap);
        issuance = i.enabled() ? new AttemptLimiter(i.max(), i.window().toMillis(), i.block().toMillis(), cap) : null;
    }

    /** Refuses (429) when the client id or the source address is blocked after too many failures. */
    public void checkNotBlocked(String clientId, String source) {
        long now = System.currentTimeMillis();
        long wait = Math.max(failuresByClient.blockedFor(clientId, now), failuresBySource.blockedFor(source, now));
        if (wait > 0) {
            throw OAuthException.tooMany("too many failed authentications; try again later", wait);
        }
    }

    public void failed(String clientId, String source) {
        long now = System.currentTimeMillis();
        failuresByClient.record(clientId, now);
        failuresBySource.record(source, now);
    }

    /** Takes one issuance for the client, or refuses (429) when it is over its limit. */
    public void acquireIssuance(String clientId) {
        if (issuance == null) {
            return;
        }
        long wait = issuance.acquire(clientId, System.currentTimeMillis());
        if (wait > 0) {
            throw OAuthException.tooMany("too many tokens requested by this client; try again later", wait);
        }
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long now = System.currentTimeMillis();
        failuresByClient.purge(now);
        failuresBySource.purge(now);
        if (issuance != null) {
            issuance.purge(now);
        }
    }
}
