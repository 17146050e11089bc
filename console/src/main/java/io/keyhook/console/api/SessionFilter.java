package io.keyhook.console.api;

import java.net.URI;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.Cookie;

import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.keyhook.console.service.Session;
import io.keyhook.console.service.SessionStore;

/**
 * No page or form works without a live session: anything but the sign-in page, static files and health answers a
 * redirect to sign-in. Every answer gets headers that keep pages out of caches and frames and scripts to our own.
 */
public class SessionFilter {

    public static final String COOKIE = "keyhook_console";

    @Inject
    SessionStore store;

    @Inject
    CurrentSession current;

    @ServerRequestFilter
    public Optional<RestResponse<Void>> authenticate(ContainerRequestContext ctx) {
        String path = ctx.getUriInfo().getPath();
        if (isPublic(path)) {
            return Optional.empty();
        }
        Cookie c = ctx.getCookies().get(COOKIE);
        Session s = store.find(c == null ? null : c.getValue());
        if (s == null) {
            return Optional.of(RestResponse.seeOther(URI.create("/sign-in")));
        }
        current.set(s);
        return Optional.empty();
    }

    @ServerResponseFilter
    public void headers(ContainerResponseContext response) {
        var h = response.getHeaders();
        h.putSingle("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self';"
                + " img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'");
        h.putSingle("X-Content-Type-Options", "nosniff");
        h.putSingle("Referrer-Policy", "no-referrer");
        h.putSingle("X-Frame-Options", "DENY");
        if (!h.containsKey("Cache-Control")) {
            h.putSingle("Cache-Control", "no-store");
        }
    }

    static boolean isPublic(String path) {
        return path.equals("/sign-in") || path.startsWith("/sign-in/oidc") || path.startsWith("/static/")
                || path.startsWith("/q/") || path.equals("/favicon.ico");
    }
}
