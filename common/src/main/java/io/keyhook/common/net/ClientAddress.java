package io.keyhook.common.net;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.config.HttpConfig;
import io.keyhook.core.net.ForwardedFor;
import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's address for limits and the audit log: the connection's peer, or, when that is one of
 * {@code keyhook.http.trusted-proxies}, what {@link ForwardedFor} reads from every line of the one header named by
 * {@code keyhook.http.forwarded-header}. Quarkus's own {@code quarkus.http.proxy.*} forwarding stays off: it takes the
 * leftmost X-Forwarded-For entry, which the client writes.
 */
@ApplicationScoped
public class ClientAddress {

    private final ForwardedFor forwarded;

    public ClientAddress(HttpConfig config) {
        this.forwarded = ForwardedFor.parse(config.trustedProxies().orElse(""), config.forwardedHeader());
    }

    public String of(HttpServerRequest request) {
        String peer = request == null || request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return forwarded.client(peer, name -> request.headers().getAll(name));
    }
}
