package io.keyhook.common.net;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.ConfigProvider;

import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's address for limits and the audit log, with forwarding headers believed only from the proxies listed in
 * {@code keyhook.http.trusted-proxies} (addresses or CIDR ranges; none by default). Quarkus's own
 * {@code quarkus.http.proxy.*} forwarding stays off: it takes the leftmost X-Forwarded-For entry, which the client
 * writes.
 */
@ApplicationScoped
public class ClientAddress {

    private final ForwardedFor forwarded = ForwardedFor.parse(
            ConfigProvider.getConfig().getOptionalValue("keyhook.http.trusted-proxies", String.class).orElse(""));

    public String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return "unknown";
        }
        String peer = request.remoteAddress().hostAddress();
        if (!forwarded.trustsAnyone()) {
            return peer;
        }
        return forwarded.client(peer, request.getHeader("X-Forwarded-For"), request.getHeader("Forwarded"));
    }
}
