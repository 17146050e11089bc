package io.keyhook.credentials.service;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.keyhook.common.contract.OperationalEvent;
import io.keyhook.credentials.persistence.EnvironmentEntity;

/**
 * {@code keyhook.credential.expiring} (issue 31), emitted once when the maximum-age jobs flag a secret or key: subject
 * the client, data {@code clientId}, {@code secretId} or {@code kid}, {@code expiresAt}, {@code ageFlaggedAt}. The id
 * names the credential, so a repeat (none is expected: the flag is a conditional write) is recognisable.
 */
final class CredentialExpiring {

    static final String SOURCE = "/keyhook/credentials-service";

    private CredentialExpiring() {
    }

    /**
     * When the jobs will expire a credential created (or registered) at {@code bornAt}: they expire by age, maximum
     * plus grace, so a credential flagged late (a maximum set today on an old secret) expires sooner than flag + grace;
     * never before the flag itself. Null for a credential Keyhook never removes (a jwksUri client's key).
     */
    static Instant expiresAt(EnvironmentEntity e, Instant bornAt, Instant flaggedAt) {
        if (bornAt == null || e.secretMaxAgeDays == null) {
            return null;
        }
        Instant byAge = bornAt.plus(Duration.ofDays((long) e.secretMaxAgeDays + e.secretExpiryGraceDays));
        return byAge.isBefore(flaggedAt) ? flaggedAt : byAge;
    }

    static OperationalEvent secret(EnvironmentEntity e, String clientId, String secretId, Instant expiresAt,
            Instant flaggedAt) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("clientId", clientId);
        d.put("secretId", secretId);
        d.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        d.put("ageFlaggedAt", flaggedAt.toString());
        return new OperationalEvent("opev_credential_expiring_" + secretId, SOURCE,
                OperationalEvent.CREDENTIAL_EXPIRING, flaggedAt, clientId, e.id, d);
    }

    static OperationalEvent key(EnvironmentEntity e, String clientId, String kid, Instant expiresAt,
            Instant flaggedAt) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("clientId", clientId);
        d.put("kid", kid);
        d.put("expiresAt", expiresAt == null ? null : expiresAt.toString());
        d.put("ageFlaggedAt", flaggedAt.toString());
        return new OperationalEvent("opev_credential_expiring_" + clientId + "_" + kid, SOURCE,
                OperationalEvent.CREDENTIAL_EXPIRING, flaggedAt, clientId, e.id, d);
    }
}
