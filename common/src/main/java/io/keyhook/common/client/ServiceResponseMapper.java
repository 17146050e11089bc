package io.keyhook.common.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.core.error.Problem;
import io.keyhook.core.error.ProblemException;

/**
 * Turns another Keyhook service's error answer into one of two failures, for every REST Client interface
 * ({@code @RegisterProvider(ServiceResponseMapper.class)}):
 * <ul>
 * <li>no usable answer (a 5xx; a 429; a 401, or a 403 without a problem code, which are about this service's own
 * token): {@link ServiceUnavailable}, which Fault Tolerance retries and counts;</li>
 * <li>any other 4xx, a refusal of the request: the same {@link ProblemException}, so the caller's client sees the
 * owner's reason, field errors and extensions (e.g. {@code webhookIds}) unchanged.</li>
 * </ul>
 */
public class ServiceResponseMapper implements ResponseExceptionMapper<RuntimeException> {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Problem members that are not extensions. */
    private static final Set<String> MEMBERS = Set.of("type", "title", "status", "code", "detail", "instance",
            "errors");

    @Override
    public boolean handles(int status, MultivaluedMap<String, Object> headers) {
        return status >= 400;
    }

    @Override
    public RuntimeException toThrowable(Response response) {
        return map(response.getStatus(), body(response));
    }

    /** The failure for an error answer with this status and (possibly empty) body. */
    static RuntimeException map(int status, String body) {
        JsonNode problem = parse(body);
        if (status >= 500 || status == 401 || status == 429 || status == 403 && !problem.hasNonNull("code")) {
            return new ServiceUnavailable("answered " + status, status);
        }
        return refusal(status, problem);
    }

    /** The problem a service answered, as the same problem. */
    static ProblemException refusal(int status, JsonNode p) {
        List<Problem.FieldError> errors = new ArrayList<>();
        p.path("errors")
                .forEach(e -> errors.add(new Problem.FieldError(e.path("field").asText(), e.path("message").asText())));
        Map<String, Object> extensions = new LinkedHashMap<>();
        p.properties().forEach(f -> {
            if (!MEMBERS.contains(f.getKey())) {
                extensions.put(f.getKey(), JSON.convertValue(f.getValue(), Object.class));
            }
        });
        String code = p.path("code").asText(status == 404 ? "not_found" : "refused");
        return new ProblemException(status, code, p.path("title").asText(status == 404 ? "Not found" : "Refused"),
                p.path("detail").asText(""), errors, extensions);
    }

    private static String body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException e) {
            return ""; // unreadable: as if there were none
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            // not a problem body: treated as none
        }
        return JSON.createObjectNode();
    }
}
