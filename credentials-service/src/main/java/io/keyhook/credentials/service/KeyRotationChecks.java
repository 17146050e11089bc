package io.keyhook.credentials.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.credentials.api.KeyRotationResponse;
import io.keyhook.credentials.config.CredentialsConfig;
import io.keyhook.credentials.persistence.KeyRotationEntity;
import io.keyhook.credentials.persistence.KeyUsageRepository;
import io.smallrye.mutiny.Uni;

/**
 * A key rotation's two checks, from the key uses token-service reports ({@code client_key_usage}): the app signs with
 * the new key ({@code new_key_used}: a use at or after the rotation started) and no longer with the old one
 * ({@code old_key_quiet}: unused for the quiet period, or never used).
 */
@ApplicationScoped
class KeyRotationChecks {

    static final String NEW_KEY_USED = "new_key_used";
    static final String OLD_KEY_QUIET = "old_key_quiet";

    @Inject
    KeyUsageRepository usage;

    @Inject
    CredentialsConfig config;

    Uni<List<KeyRotationResponse.Check>> of(KeyRotationEntity r) {
        return usage.ofClients(List.of(r.clientId)).map(all -> of(r, all, Instant.now()));
    }

    List<KeyRotationResponse.Check> of(KeyRotationEntity r, List<KeyUsageRepository.Usage> all, Instant now) {
        Instant newLast = lastUse(all, r.newKid);
        Instant oldLast = lastUse(all, r.oldKid);
        Duration quiet = config.keyRotationQuietPeriod();
        boolean newUsed = newLast != null && !newLast.isBefore(r.startedAt);
        String newDetail = newUsed ? "kid " + r.newKid + " last used at " + newLast
                : "kid " + r.newKid + " not used since the rotation started at " + r.startedAt
                        + ": the app must sign its client assertions with the new key";
        boolean oldQuiet = oldLast == null || !now.isBefore(oldLast.plus(quiet));
        String oldDetail = oldLast == null ? "kid " + r.oldKid + " was never used"
                : oldQuiet ? "kid " + r.oldKid + " unused since " + oldLast + " (quiet period " + quiet + ")"
                        : "kid " + r.oldKid + " last used at " + oldLast + "; quiet period " + quiet + " ends at "
                                + oldLast.plus(quiet);
        return List.of(new KeyRotationResponse.Check(NEW_KEY_USED, newUsed, newDetail, null),
                new KeyRotationResponse.Check(OLD_KEY_QUIET, oldQuiet, oldDetail, oldLast));
    }

    static boolean passed(List<KeyRotationResponse.Check> checks) {
        return checks.stream().allMatch(KeyRotationResponse.Check::passed);
    }

    private static Instant lastUse(List<KeyUsageRepository.Usage> all, String kid) {
        return all.stream().filter(u -> u.kid().equals(kid)).map(KeyUsageRepository.Usage::lastUsedAt).findFirst()
                .orElse(null);
    }
}
