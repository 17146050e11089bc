package io.keyhook.common.security;

import java.util.Arrays;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The 401 and 403 answers of every Keyhook API, as problem+json: kept with the security they report on, so the
 * {@code error} package (every other failure) does not depend on {@code security}.
 */
public class AccessProblems {

    private static final Logger LOG = Logger.getLogger(AccessProblems.class);

    /** RFC 6750: a specific code and detail per reason, and the challenge with {@code error="invalid_token"}. */
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthenticated(RuntimeException e, UriInfo uri, HttpHeaders headers) {
        if (e.getCause() instanceof RevocationsNotLoadedException) {
            // not the caller's fault, and nothing said about the token: this replica cannot judge it yet
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "2")
                    .entity(new ProblemException(503, "revocations_not_loaded", "Service Unavailable",
                            "This replica has just started and has not yet read every revocation, so it cannot check"
                                    + " admin tokens yet; retry in a moment").toProblem(path(uri)))
                    .build();
        }
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        BearerRefusal refusal = bearer ? BearerRefusal.of(e) : BearerRefusal.missing();
        LOG.debugf("401 %s: %s", refusal.code(), e.toString());
        Problem p = new ProblemException(401, refusal.code(), "Unauthorized", refusal.detail()).toProblem(path(uri));
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", refusal.challenge()).entity(p)
                .build();
    }

    @Inject
    Event<AccessRefused> refusals;

    @Inject
    Caller caller;

    /** 403 names the groups the action needs (from its {@code @RolesAllowed}). */
    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri, Request request, SimpleResourceInfo resource) {
        refusals.fire(new AccessRefused(caller.subject(), request.getMethod(), path(uri)));
        List<String> needed = rolesAllowed(resource);
        String detail = needed.isEmpty() ? "Your role does not allow this action"
                : "This action needs an admin client in the group " + String.join(" or ", needed)
                        + "; ask a platform operator for one";
        return respond(new ProblemException(403, "forbidden", "Forbidden", detail).with("requiredGroups", needed)
                .toProblem(path(uri)));
    }

    private static List<String> rolesAllowed(SimpleResourceInfo resource) {
        if (resource == null || resource.getResourceClass() == null) {
            return List.of();
        }
        for (var m : resource.getResourceClass().getMethods()) {
            if (m.getName().equals(resource.getMethodName())
                    && Arrays.equals(m.getParameterTypes(), resource.parameterTypes())) {
                RolesAllowed roles = m.getAnnotation(RolesAllowed.class);
                if (roles == null) {
                    roles = resource.getResourceClass().getAnnotation(RolesAllowed.class);
                }
                return roles == null ? List.of() : List.of(roles.value());
            }
        }
        return List.of();
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }
}
