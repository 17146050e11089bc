package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

/**
 * The dormancy report: active secrets of active API clients, and keys of active private_key_jwt clients, not used for
 * {@code unusedForDays} days or more (never used: created or registered that long ago), the longest unused first.
 * {@code truncated}: more rows than {@code limit} matched.
 */
public record DormantCredentialsResponse(int unusedForDays, Instant asOf, List<Item> items, boolean truncated) {

    /**
     * One dormant secret ({@code secretId} set, {@code kid} null) or key of a private_key_jwt client ({@code kid} set,
     * {@code secretId} null); {@code createdAt}: the secret's creation or the key's registration (null for a jwksUri
     * client's key, known only from its use); {@code lastUsedAt} null when it never got a token.
     */
    public record Item(String clientId, String clientName, String secretId, String kid, Instant createdAt,
            Instant lastUsedAt, long unusedDays) {
    }
}
