package io.keyhook.console.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;

import io.keyhook.console.service.Session;

/** The request's session, set by {@link SessionFilter}; the checks every page and form goes through. */
@RequestScoped
public class CurrentSession {

    private Session session;

    void set(Session s) {
        this.session = s;
    }

    public Session get() {
        if (session == null) {
            throw new IllegalStateException("no session on a page that needs one");
        }
        return session;
    }

    /** The session, or null on a page without one. */
    public Session orNull() {
        return session;
    }

    public String token() {
        return get().token();
    }

    /** Another Environment's pages answer 404, as the APIs do. */
    public void mayTouch(String env) {
        if (!get().mayTouch(env)) {
            throw new NotFoundException();
        }
    }

    /** Every form carries the session's CSRF token; a form without it (or with another) is refused. */
    public void checkCsrf(String token) {
        if (token == null || !MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8),
                get().csrf().getBytes(StandardCharsets.UTF_8))) {
            throw new ForbiddenException(
                    "The form has expired or did not come from this console; reload the page" + " and try again");
        }
    }
}
