package io.keyhook.console.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.keyhook.core.net.ForwardedFor;

/**
 * The console reads a visitor's address with the services' own parser ({@link ForwardedFor}, from the core), set by
 * {@code keyhook.console.trusted-proxies} and {@code keyhook.console.forwarded-header}.
 */
public class ConsoleForwarding {

    @Produces
    @Singleton
    ForwardedFor forwardedFor(ConsoleConfig config) {
        return ForwardedFor.parse(config.trustedProxies().orElse(""), config.forwardedHeader());
    }
}
