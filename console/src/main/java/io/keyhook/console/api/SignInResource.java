package io.keyhook.console.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.config.ConsoleConfig;
import io.keyhook.console.session.Session;
import io.keyhook.console.session.SessionFilter;
import io.keyhook.console.session.SessionStore;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Sign-in with an admin client's id and secret (SPEC.md section 6): the console gets a token from token-service and
 * keeps it; the browser gets an HttpOnly, SameSite=Strict session cookie. The sign-in form has its own CSRF token
 * (double-submit: a short-lived cookie and the form field must match), so nobody can sign a browser into their account.
 */
@Path("/")
public class SignInResource {

    static final String SIGN_IN_COOKIE = "keyhook_console_signin";
    private static final SecureRandom RANDOM = new SecureRandom();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String csrf, String clientId, String error, String notice);
    }

    @Inject
    Api api;

    @Inject
    SessionStore sessions;

    @Inject
    ConsoleConfig config;

    @Inject
    ObjectMapper json;

    @Context
    UriInfo uri;

    @GET
    public Response root() {
        return Response.seeOther(URI.create("/environments")).build();
    }

    @GET
    @Path("sign-in")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@CookieParam(SessionFilter.COOKIE) String sid) {
        if (sessions.find(sid) != null) {
            return Response.seeOther(URI.create("/environments")).build();
        }
        return signInPage(null, null, null);
    }

    @POST
    @Path("sign-in")
    @Produces(MediaType.TEXT_HTML)
    public Response signIn(@RestForm("_csrf") String csrf, @CookieParam(SIGN_IN_COOKIE) String expected,
            @RestForm String clientId, @RestForm String clientSecret) {
        if (csrf == null || expected == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            return signInPage(clientId, "The sign-in form expired; please try again.", null);
        }
        if (blank(clientId) || blank(clientSecret)) {
            return signInPage(clientId, "Enter your admin client's id and secret.", null);
        }
        ApiResult r = api.token(clientId.trim(), clientSecret.trim());
        if (!r.ok()) {
            String error = "invalid_client".equals(r.json().path("error").asText())
                    ? "That client id and secret do not match an active admin client."
                    : "token-service refused the sign-in: " + r.json().path("error_description")
                            .asText(r.json().path("error").asText("status " + r.status()));
            return signInPage(clientId, error, null);
        }
        String token = r.json().path("access_token").asText();
        JsonNode claims = claims(token);
        List<String> groups = strings(claims.get("groups"));
        if (!groups.contains("integration-admin") && !groups.contains("platform-operator")) {
            return signInPage(clientId, "This client is not an admin client: the console is for integration"
                    + " admins and platform operators.", null);
        }
        Instant expires = claims.has("exp") ? Instant.ofEpochSecond(claims.get("exp").asLong())
                : Instant.now().plusSeconds(r.json().path("expires_in").asLong(300));
        Session s = sessions.create(token, clientId.trim(), groups, strings(claims.get("environments")), expires);
        long maxAge = Math.max(1, expires.getEpochSecond() - Instant.now().getEpochSecond());
        return Response.seeOther(URI.create("/environments")).cookie(sessionCookie(s.id(), (int) maxAge))
                .cookie(cookie(SIGN_IN_COOKIE, "", 0)).build();
    }

    @POST
    @Path("sign-out")
    public Response signOut(@CookieParam(SessionFilter.COOKIE) String sid, @RestForm("_csrf") String csrf) {
        Session s = sessions.find(sid);
        if (s != null && csrf != null && MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                s.csrf().getBytes(StandardCharsets.UTF_8))) {
            sessions.remove(sid);
        } else if (s != null) {
            return Response.status(403).build();
        }
        return Response.seeOther(URI.create("/sign-in?signed-out")).cookie(sessionCookie("", 0)).build();
    }

    private Response signInPage(String clientId, String error, String notice) {
        String csrf = random();
        String n = notice;
        if (n == null && uri.getQueryParameters().containsKey("signed-out")) {
            n = "You are signed out.";
        }
        return Response.status(error == null ? 200 : 401)
                .entity(Templates.signIn(csrf, clientId == null ? "" : clientId, error, n))
                .type(MediaType.TEXT_HTML_TYPE).cookie(cookie(SIGN_IN_COOKIE, csrf, 600)).build();
    }

    private NewCookie sessionCookie(String value, int maxAge) {
        return cookie(SessionFilter.COOKIE, value, maxAge);
    }

    private NewCookie cookie(String name, String value, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(true).secure(secure()).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }

    /** Secure unless reached on localhost (see {@link ConsoleConfig#secureCookies()}). */
    boolean secure() {
        return switch (config.secureCookies()) {
        case "always" -> true;
        case "never" -> false;
        default -> !List.of("localhost", "127.0.0.1", "[::1]", "::1").contains(uri.getBaseUri().getHost());
        };
    }

    /** The token's claims; the console got it straight from token-service, and the APIs verify it on every call. */
    private JsonNode claims(String jwt) {
        try {
            String[] parts = jwt.split("\\.");
            return json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (Exception e) {
            return json.createObjectNode();
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null && n.isArray()) {
            n.forEach(e -> out.add(e.asText()));
        } else if (n != null && n.isTextual()) {
            out.add(n.asText());
        }
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String random() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
