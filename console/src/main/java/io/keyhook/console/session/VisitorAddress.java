package io.keyhook.console.session;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.console.config.ConsoleConfig;
import io.keyhook.core.net.ForwardedFor;
import io.vertx.core.http.HttpServerRequest;

/**
 * The address of the person using the console: the connection's peer, or, when the peer is one of
 * {@code keyhook.console.trusted-proxies} (the ingress), what the services' own {@link ForwardedFor} reads from every
 * line of the header named by {@code keyhook.console.forwarded-header}.
 */
@ApplicationScoped
public class VisitorAddress {

    private final ForwardedFor forwarded;

    @Inject
    VisitorAddress(ConsoleConfig config) {
        forwarded = ForwardedFor.parse(config.trustedProxies().orElse(""), config.forwardedHeader());
    }

    public String of(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null) {
            return "unknown";
        }
        String peer = request.remoteAddress().hostAddress();
        if (!forwarded.trustsAnyone()) {
            return peer;
        }
        return forwarded.client(peer, request.headers().getAll(forwarded.header().headerName()));
    }
}
