package io.keyhook.console.api;

import java.net.URI;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.keyhook.console.client.ServiceUnavailable;
import io.keyhook.console.client.SessionRevoked;
import io.keyhook.console.service.Session;
import io.keyhook.console.service.SessionStore;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Errors as pages people can read, with the status the situation calls for. */
public class ErrorPages {

    @Inject
    CurrentSession current;

    @Inject
    SessionStore sessions;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(int status, String title, String message);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(404, "Not found", "There is nothing here, or it belongs to an Environment you may not touch.");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return page(403, "Refused", e.getMessage());
    }

    /** The admin's access was revoked: the session ends now, and the browser goes back to sign-in. */
    @ServerExceptionMapper
    public Response revoked(SessionRevoked e) {
        Session s = current.orNull();
        if (s != null) {
            sessions.remove(s.id());
        }
        return Response.seeOther(URI.create("/sign-in?revoked")).cookie(
                new NewCookie.Builder(SessionFilter.COOKIE).value("").path("/").maxAge(0).httpOnly(true).build())
                .build();
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailable e) {
        return page(503, "A service is not answering", e.getMessage());
    }

    /** Anything else: logged with an id the page shows, so support can find it; no stack trace reaches the page. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        if (e instanceof WebApplicationException w) {
            return page(w.getResponse().getStatus(), "Refused", w.getMessage());
        }
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "Unexpected error %s", id);
        return page(500, "Something went wrong", "The console could not show this page (error " + id + ").");
    }

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    private static Response page(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(status, title, message).render()).build();
    }
}
