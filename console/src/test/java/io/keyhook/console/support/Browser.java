package io.keyhook.console.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A person at the console over real HTTP: cookies kept, redirects followed, forms posted with the page's token. */
public final class Browser {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient http;
    private String csrf;

    public Browser(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.http = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Signs in with an admin client (the stub's token endpoint accepts any). */
    public Browser signIn() {
        HttpResponse<String> form = get("/sign-in");
        HttpResponse<String> r = post("/sign-in",
                Map.of("_csrf", csrfOf(form.body()), "clientId", "adm_test", "clientSecret", "s3cret"));
        assertEquals(200, r.statusCode(), r::body);
        return this;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** The page at {@code path}, which must answer 200. */
    public String page(String path) {
        HttpResponse<String> r = get(path);
        assertEquals(200, r.statusCode(), () -> path + " answered " + r.statusCode() + ": " + r.body());
        return r.body();
    }

    /** Posts a form with the session's token (taken from the last page). */
    public HttpResponse<String> submit(String path, Map<String, String> fields) {
        Map<String, String> all = new LinkedHashMap<>(fields);
        all.put("_csrf", csrf);
        return post(path, all);
    }

    /** The form token of the page the browser is on. */
    public String csrf() {
        return csrf;
    }

    /** Posts an already encoded form body (for a field sent more than once, as rows of a form are). */
    public HttpResponse<String> post(String path, String encodedForm) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encodedForm)).build());
    }

    public HttpResponse<String> post(String path, Map<String, String> fields) {
        String form = fields.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue() == null ? "" : e.getValue()))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher m = CSRF.matcher(r.body());
            if (m.find()) {
                csrf = m.group(1); // the token of the page the browser is on now
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no form token on " + html);
        }
        return m.group(1);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
