package io.keyhook.dispatcher.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gap manifest (issue 31): what each webhook's receiver missed. Entries are kept as long as the delivery log. */
@ConfigMapping(prefix = "keyhook.dispatcher.gaps")
public interface GapsConfig {

    /**
     * Most entries kept per webhook (one per record). Beyond it the pruning round drops resolved entries first, then
     * the oldest open ones, and logs a warning: a receiver missing that many records needs a full re-sync anyway.
     */
    @WithDefault("100000")
    int maxPerWebhook();

    /** Most entries one page of {@code GET .../gaps} returns ({@code limit}); the default page is 100. */
    @WithDefault("1000")
    int maxPageSize();
}
