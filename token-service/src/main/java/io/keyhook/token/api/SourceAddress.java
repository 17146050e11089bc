package io.keyhook.token.api;

import io.vertx.core.http.HttpServerRequest;

/**
 * The caller's address for per-address limits and the audit log. Behind a proxy, enable Quarkus's
 * {@code quarkus.http.proxy.*} forwarding so this is the client's address and not the proxy's.
 */
final class SourceAddress {

    private SourceAddress() {
    }

    static String of(HttpServerRequest request) {
        return request == null || request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
