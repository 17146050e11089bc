package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

/**
 * The dormancy report: active secrets of active API clients not used for {@code unusedForDays} days or more (never
 * used: created that long ago), the longest unused first. {@code truncated}: more rows than {@code limit} matched.
 */
public record DormantCredentialsResponse(int unusedForDays, Instant asOf, List<Item> items, boolean truncated) {

    /** One dormant secret; {@code lastUsedAt} null when it never got a token. */
    public record Item(String clientId, String clientName, String secretId, Instant createdAt, Instant lastUsedAt,
            long unusedDays) {
    }
}
