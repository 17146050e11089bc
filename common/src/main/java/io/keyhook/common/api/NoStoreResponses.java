package io.keyhook.common.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Every API answer of every service is marked {@code Cache-Control: no-store} and {@code Pragma: no-cache} (for
 * HTTP/1.0 caches) unless it says otherwise: secrets are shown once in creation answers, and no answer about a tenant's
 * credentials or webhooks belongs in a browser, proxy or CDN cache. Public documents that set their own caching (the
 * JWKS, discovery) keep it.
 */
public class NoStoreResponses {

    @ServerResponseFilter
    public void noStore(ContainerRequestContext request, ContainerResponseContext response) {
        var headers = response.getHeaders();
        if (!headers.containsKey("Cache-Control")) {
            headers.putSingle("Cache-Control", "no-store");
        }
        if ("no-store".equals(response.getHeaderString("Cache-Control")) && !headers.containsKey("Pragma")) {
            headers.putSingle("Pragma", "no-cache");
        }
    }
}
