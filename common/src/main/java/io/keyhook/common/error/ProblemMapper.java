package io.keyhook.common.error;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;

/**
 * The one exception mapper of every Keyhook API: each failure becomes application/problem+json with a stable
 * {@code code}. The 401 and 403 answers are written with the security they report on ({@code security.AccessProblems}).
 * 5xx bodies never carry exception messages (they may hold SQL or secrets); the log gets an error id that the body
 * repeats, so operators can find the cause.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder r = Response.status(e.status()).type(Problem.MEDIA_TYPE)
                .entity(e.toProblem(path(uri)));
        e.headers().forEach(r::header);
        return r.build();
    }

    // Quarkus ships mappers for these exact types; naming them keeps every answer problem+json
    @ServerExceptionMapper
    public Response invalidRequest(ResteasyReactiveViolationException e, UriInfo uri) {
        return invalid(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return malformed(e, uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (ConstraintViolation<?> v : e.getConstraintViolations()) {
            errors.add(new Problem.FieldError(fieldOf(v), v.getMessage()));
        }
        errors.sort(Comparator.comparing(Problem.FieldError::field));
        return respond(new ProblemException(422, "validation_failed", "Invalid request",
                "The request has invalid fields: "
                        + String.join(", ", errors.stream().map(Problem.FieldError::field).toList()),
                errors, null).toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e, UriInfo uri) {
        if (e instanceof UnrecognizedPropertyException u) {
            String field = jsonPath(u);
            return respond(new ProblemException(400, "unknown_field", "Bad request", "Unknown field '" + field + "'",
                    List.of(new Problem.FieldError(field, "unknown field")), null).toProblem(path(uri)));
        }
        if (e instanceof InvalidFormatException
                || e instanceof JsonMappingException && !jsonPath((JsonMappingException) e).isEmpty()) {
            String field = jsonPath((JsonMappingException) e);
            return respond(new ProblemException(400, "invalid_field_type", "Bad request",
                    "Field '" + field + "' has the wrong type", List.of(new Problem.FieldError(field, "wrong type")),
                    null).toProblem(path(uri)));
        }
        return respond(ProblemException.badRequest("malformed_json", "The request body is not valid JSON")
                .toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpHeaders headers) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException jpe) {
            return malformed(jpe, uri);
        }
        if (status >= 500) {
            return internal(e, uri);
        }
        String code = switch (status) {
        case 400 -> "bad_request";
        case 404 -> "not_found";
        case 405 -> "method_not_allowed";
        case 406 -> "not_acceptable";
        case 413 -> "payload_too_large";
        case 415 -> "unsupported_media_type";
        default -> "http_" + status;
        };
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
        case 415 -> "Send Content-Type: application/json; got "
                + (headers.getMediaType() == null ? "none" : headers.getMediaType().toString());
        case 406 -> "Send Accept: application/json (or leave it out); got "
                + String.join(", ", headers.getRequestHeader(HttpHeaders.ACCEPT));
        default -> title;
        };
        return respond(new ProblemException(status, code, title, detail).toProblem(path(uri)));
    }

    @ServerExceptionMapper
    public Response internal(Throwable e, UriInfo uri) {
        if (isUnavailable(e)) {
            LOG.warnf("Dependency unavailable for %s: %s", path(uri), e.toString());
            Problem p = new ProblemException(503, "service_unavailable", "Service unavailable",
                    "A backing service is unavailable; nothing was changed. Try again shortly.").toProblem(path(uri));
            return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5").entity(p).build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "Unhandled error %s on %s", errorId, path(uri));
        return respond(new ProblemException(500, "internal_error", "Internal error",
                "An unexpected error occurred (error id " + errorId + ")").toProblem(path(uri)));
    }

    /** Connection-level failures of PostgreSQL or Kafka: the client should retry, nothing was written. */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof ConnectException || t instanceof ClosedChannelException || t instanceof TimeoutException
                    || name.endsWith("ClosedConnectionException") || name.endsWith("ConnectTimeoutException")
                    || name.equals("org.apache.kafka.common.errors.TimeoutException")
                    || name.equals("io.vertx.sqlclient.ClosedConnectionException")
                    || t.getMessage() != null && t.getMessage().contains("Connection refused")) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    /**
     * The field as the client wrote it: {@code security.secretIds[0]}, not the validator's
     * {@code create.arg1.security.secretIds[0].<list element>} (method and parameter dropped, list elements as
     * indexes).
     */
    static String fieldOf(ConstraintViolation<?> v) {
        StringBuilder b = new StringBuilder();
        for (Path.Node n : v.getPropertyPath()) {
            switch (n.getKind()) {
            case METHOD, CONSTRUCTOR, PARAMETER, CROSS_PARAMETER, RETURN_VALUE:
                continue;
            default:
                break;
            }
            if (n.isInIterable()) {
                b.append('[').append(n.getIndex() != null ? n.getIndex() : n.getKey()).append(']');
            }
            if (n.getKind() != ElementKind.CONTAINER_ELEMENT && n.getName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(n.getName());
            }
        }
        if (!b.isEmpty()) {
            return b.toString();
        }
        // a constraint on a parameter itself (a query or path parameter): "list.arg2" -> "arg2"
        String[] parts = v.getPropertyPath().toString().split("\\.");
        return parts.length >= 2 ? parts[parts.length - 1] : v.getPropertyPath().toString();
    }

    private static String jsonPath(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (!b.isEmpty()) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }
}
