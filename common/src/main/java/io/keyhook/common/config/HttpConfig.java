package io.keyhook.common.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How a service reads its HTTP callers: who may forward for them, through which header, and how much they may send. */
@ConfigMapping(prefix = "keyhook.http")
public interface HttpConfig {

    /**
     * Proxies (addresses or CIDR ranges, comma-separated) whose forwarding header is believed; none by default
     * ({@code KEYHOOK_TRUSTED_PROXIES}).
     */
    Optional<String> trustedProxies();

    /**
     * The forwarding header the trusted proxies write: {@code x-forwarded-for} (default) or {@code forwarded} (RFC
     * 7239). The other one is ignored, as only clients write it ({@code KEYHOOK_FORWARDED_HEADER}).
     */
    @WithDefault("x-forwarded-for")
    String forwardedHeader();

    /** Largest request body taken, in bytes (413 above it). */
    @WithDefault("65536")
    long maxRequestBody();
}
