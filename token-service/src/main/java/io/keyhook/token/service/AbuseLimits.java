package io.keyhook.token.service;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.token.config.TokenConfig;
import io.quarkus.scheduler.Scheduled;

/**
 * The token endpoints' abuse protection. None of it can be turned against a client that presents its correct secret:
 * the secret is checked first (one keyed hash) and these limits only apply to requests that already failed it.
 * <ul>
 * <li>failures of one client id from one source address block that pair, so a stranger elsewhere cannot lock an app
 * out;</li>
 * <li>failures from one source address, whatever the id, block that source's unverifiable requests (no more
 * credentials-service lookups for it);</li>
 * <li>failures of one client id from everywhere raise an alert, never a block;</li>
 * <li>tokens issued per client (the original platform's rule).</li>
 * </ul>
 */
@ApplicationScoped
public class AbuseLimits {

    private final AttemptLimiter failuresByPair;
    private final AttemptLimiter failuresBySource;
    private final AttemptLimiter failuresByClient;
    private final AttemptLimiter issuance;

    AbuseLimits(TokenConfig config) {
        var pair = config.limits().failedAuthentication();
        var source = config.limits().failedAuthenticationPerSource();
        var alert = config.limits().clientFailureAlert();
        var i = config.limits().issuance();
        int cap = config.limits().maxTrackedKeys();
        failuresByPair = new AttemptLimiter(pair.max(), pair.window().toMillis(), pair.block().toMillis(), cap);
        failuresBySource = new AttemptLimiter(source.max(), source.window().toMillis(), source.block().toMillis(), cap);
        failuresByClient = new AttemptLimiter(alert.max(), alert.window().toMillis(), alert.window().toMillis(), cap);
        issuance = i.enabled() ? new AttemptLimiter(i.max(), i.window().toMillis(), i.block().toMillis(), cap) : null;
    }

    /** What a failure changed: whether it started a block, or an alert on the client. */
    public record Failure(boolean pairBlocked, boolean sourceBlocked, boolean clientAlert) {
    }

    /** Refuses (429) when this client id is blocked from this source. Only for requests whose secret did not match. */
    public void checkPairNotBlocked(String clientId, String source) {
        long wait = failuresByPair.blockedFor(pair(clientId, source), System.currentTimeMillis());
        if (wait > 0) {
            throw OAuthException.tooMany("too many failed authentications; try again later", wait).audited();
        }
    }

    /** Refuses (429) when the source is blocked: it may no longer make the service ask credentials-service. */
    public void checkSourceNotBlocked(String source) {
        long wait = failuresBySource.blockedFor(source, System.currentTimeMillis());
        if (wait > 0) {
            throw OAuthException.tooMany("too many failed authentications; try again later", wait).audited();
        }
    }

    /** Whether the source is blocked (a refusal from it is then counted, not audited again). */
    public boolean sourceBlocked(String source) {
        return sourceBlockedFor(source) > 0;
    }

    /** Seconds the source stays blocked (rounded up), or 0. */
    public long sourceBlockedFor(String source) {
        return failuresBySource.blockedFor(source, System.currentTimeMillis());
    }

    public Failure failed(String clientId, String source) {
        long now = System.currentTimeMillis();
        boolean pair = clientId != null && failuresByPair.record(pair(clientId, source), now);
        boolean src = failuresBySource.record(source, now);
        boolean alert = clientId != null && failuresByClient.record(clientId, now);
        return new Failure(pair, src, alert);
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

    private static String pair(String clientId, String source) {
        return clientId + '\u0000' + source;
    }

    @Scheduled(every = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        long now = System.currentTimeMillis();
        failuresByPair.purge(now);
        failuresBySource.purge(now);
        failuresByClient.purge(now);
        if (issuance != null) {
            issuance.purge(now);
        }
    }
}
