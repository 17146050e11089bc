package io.keyhook.core.error;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure the API reports to the caller as problem+json. Services throw it (or return it as a failed Uni); the shared
 * mapper turns it into the response.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final transient List<Problem.FieldError> errors;
    private final transient Map<String, Object> extensions;
    private final transient Map<String, String> headers;

    public ProblemException(int status, String code, String title, String detail) {
        this(status, code, title, detail, List.of(), Map.of());
    }

    public ProblemException(int status, String code, String title, String detail, List<Problem.FieldError> errors,
            Map<String, Object> extensions) {
        this(status, code, title, detail, errors, extensions, Map.of());
    }

    private ProblemException(int status, String code, String title, String detail, List<Problem.FieldError> errors,
            Map<String, Object> extensions, Map<String, String> headers) {
        super(detail, null, false, false);
        this.headers = Map.copyOf(headers);
        this.status = status;
        this.code = code;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static ProblemException notFound(String code, String detail) {
        return new ProblemException(404, code, "Not found", detail);
    }

    public static ProblemException conflict(String code, String detail) {
        return new ProblemException(409, code, "Conflict", detail);
    }

    public static ProblemException unprocessable(String code, String detail) {
        return new ProblemException(422, code, "Unprocessable request", detail);
    }

    public static ProblemException badRequest(String code, String detail) {
        return new ProblemException(400, code, "Bad request", detail);
    }

    public ProblemException with(String name, Object value) {
        Map<String, Object> merged = new LinkedHashMap<>(extensions);
        merged.put(name, value);
        return new ProblemException(status, code, title, getMessage(), errors, merged, headers);
    }

    /** Adds a response header, e.g. Retry-After or WWW-Authenticate. */
    public ProblemException withHeader(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(headers);
        merged.put(name, value);
        return new ProblemException(status, code, title, getMessage(), errors, extensions, merged);
    }

    public Map<String, String> headers() {
        return headers;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Problem toProblem(String instance) {
        return new Problem("https://keyhook.io/problems/" + code.replace('_', '-'), title, status, code, getMessage(),
                instance, errors, extensions);
    }
}
