package io.keyhook.console.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.config.ConsoleConfig;

/**
 * Calls the services' public APIs with the signed-in admin's token: the console holds no rule of its own, it shows what
 * the APIs answer. Blocking (JDK HTTP client); resources run on worker threads.
 */
@ApplicationScoped
public class Api {

    @Inject
    ConsoleConfig config;

    @Inject
    ObjectMapper json;

    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public String credentials(String path) {
        return config.credentialsUrl() + path;
    }

    public String webhooks(String path) {
        return config.webhooksUrl() + path;
    }

    public String dispatcher(String path) {
        return config.dispatcherUrl() + path;
    }

    public ApiResult get(String token, String url) {
        return send(token, "GET", url, null);
    }

    public ApiResult post(String token, String url, Object body) {
        return send(token, "POST", url, body);
    }

    public ApiResult put(String token, String url, Object body) {
        return send(token, "PUT", url, body);
    }

    public ApiResult patch(String token, String url, Object body) {
        return send(token, "PATCH", url, body);
    }

    public ApiResult delete(String token, String url) {
        return send(token, "DELETE", url, null);
    }

    /**
     * {@code client_credentials} for an admin client at token-service, on behalf of the person at {@code userAddress};
     * the token response (or the OAuth error).
     */
    public ApiResult token(String clientId, String secret, String userAddress) {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
        // the person signing in, not the console, is who token-service's per-address limits and audit must see
        // (token-service believes it when the console is one of its keyhook.http.trusted-proxies). Both forwarding
        // headers say the same, as token-service reads whichever one its keyhook.http.forwarded-header names.
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.tokenUrl())).timeout(config.apiTimeout())
                .header("content-type", "application/x-www-form-urlencoded").header("x-forwarded-for", userAddress)
                .header("forwarded",
                        "for=\"" + (userAddress.indexOf(':') >= 0 ? "[" + userAddress + "]" : userAddress) + "\"")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return exchange("token-service", request);
    }

    /**
     * The authorization code grant at an OpenID Connect provider's token endpoint ({@code client_secret_basic}, with
     * the PKCE verifier); the token response, or the provider's error.
     */
    public ApiResult codeForTokens(String tokenEndpoint, String clientId, String clientSecret, String code,
            String verifier, String redirectUri) {
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri=" + enc(redirectUri)
                + "&code_verifier=" + enc(verifier);
        String basic = Base64.getEncoder()
                .encodeToString((enc(clientId) + ":" + enc(clientSecret)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint)).timeout(config.apiTimeout())
                .header("content-type", "application/x-www-form-urlencoded").header("authorization", "Basic " + basic)
                .header("accept", "application/json").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return exchange("the sign-in provider", request);
    }

    /** A query string from the non-blank values, URL-encoded. */
    public static String query(Map<String, String> params) {
        String q = params.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return q.isEmpty() ? "" : "?" + q;
    }

    /** The same from name/value pairs, in their order (a link's parameters read the same every time). */
    public static String query(String... nameValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            params.put(nameValues[i], nameValues[i + 1]);
        }
        return query(params);
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private ApiResult send(String token, String method, String url, Object body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(config.apiTimeout())
                    .header("authorization", "Bearer " + token).header("accept", "application/json");
            if (body != null) {
                b.header("content-type", "application/json").method(method,
                        HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            ApiResult r = exchange(URI.create(url).getAuthority(), b.build());
            if (r.status() == 401) {
                throw new SessionRevoked(URI.create(url).getAuthority());
            }
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiResult exchange(String service, HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = null;
            if (r.body().length > 0) {
                try {
                    body = json.readTree(r.body());
                } catch (IOException notJson) {
                    body = null;
                }
            }
            return new ApiResult(r.statusCode(), body);
        } catch (IOException e) {
            throw new ServiceUnavailable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailable(service, e);
        }
    }
}
