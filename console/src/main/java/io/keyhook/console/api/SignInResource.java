package io.keyhook.console.api;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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
import io.keyhook.console.service.IdTokens;
import io.keyhook.console.service.OidcLogins;
import io.keyhook.console.service.Session;
import io.keyhook.console.service.SessionStore;
import io.keyhook.console.service.SignInLimits;
import io.keyhook.core.net.ForwardedFor;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * Sign-in with an admin client's id and secret (SPEC.md section 6): the console gets a token from token-service and
 * keeps it; the browser gets an HttpOnly, SameSite=Strict session cookie. The sign-in form has its own CSRF token
 * (double-submit: a short-lived cookie and the form field must match), so nobody can sign a browser into their account.
 */
@Path("/")
public class SignInResource {

    static final String SIGN_IN_COOKIE = "keyhook_console_signin";
    static final String OIDC_COOKIE = "keyhook_console_oidc";
    private static final SecureRandom RANDOM = new SecureRandom();

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signIn(String csrf, String clientId, String error, String notice,
                String oidcProvider);

        static native TemplateInstance signedIn();
    }

    @Inject
    Api api;

    @Inject
    SessionStore sessions;

    @Inject
    ConsoleConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    OidcLogins oidcLogins;

    /** The visitor's address for the sign-in limits, by the services' own rule (see ConsoleForwarding). */
    @Inject
    ForwardedFor forwarded;

    @Inject
    SignInLimits signInLimits;

    @Inject
    IdTokens idTokens;

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
            @RestForm String clientId, @RestForm String clientSecret, @Context HttpServerRequest request) {
        String visitor = visitor(request);
        if (!signInLimits.tryAcquire(visitor)) {
            return tooManySignIns();
        }
        if (csrf == null || expected == null || !MessageDigest.isEqual(csrf.getBytes(StandardCharsets.UTF_8),
                expected.getBytes(StandardCharsets.UTF_8))) {
            return signInPage(clientId, "The sign-in form expired; please try again.", null);
        }
        if (blank(clientId) || blank(clientSecret)) {
            return signInPage(clientId, "Enter your admin client's id and secret.", null);
        }
        ApiResult r = api.token(clientId.trim(), clientSecret.trim(), visitor);
        if (!r.ok()) {
            String error = "invalid_client".equals(r.json().path("error").asText())
                    ? "That client id and secret do not match an active admin client."
                    : "token-service refused the sign-in: " + r.json().path("error_description")
                            .asText(r.json().path("error").asText("status " + r.status()));
            return signInPage(clientId, error, null);
        }
        String token = r.json().path("access_token").asText();
        Session s = session(token, clientId.trim(), r.json().path("expires_in").asLong(300));
        if (s == null) {
            return signInPage(clientId, "This client is not an admin client: the console is for integration"
                    + " admins and platform operators.", null);
        }
        return Response.seeOther(URI.create("/environments")).cookie(sessionCookie(s))
                .cookie(cookie(SIGN_IN_COOKIE, "", 0)).build();
    }

    /**
     * Sign-in with the external OpenID Connect provider: the authorization code flow with PKCE (S256), state and nonce.
     * The pending sign-in's id rides in a short-lived SameSite=Lax cookie, the only kind a browser sends on the
     * provider's redirect back.
     */
    @GET
    @Path("sign-in/oidc")
    public Response oidc(@Context HttpServerRequest request) {
        ConsoleConfig.Oidc o = config.oidc();
        if (!o.enabled()) {
            throw new NotFoundException();
        }
        if (!signInLimits.tryAcquire(visitor(request))) {
            return tooManySignIns();
        }
        var started = oidcLogins.start();
        var p = started.getValue();
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(p.verifier()));
        String location = o.authorizationEndpoint().orElseThrow() + Api.query(Map.of("response_type", "code",
                "client_id", o.clientId().orElseThrow(), "redirect_uri", redirectUri(), "scope", o.scopes(), "state",
                p.state(), "nonce", p.nonce(), "code_challenge", challenge, "code_challenge_method", "S256"));
        NewCookie pending = new NewCookie.Builder(OIDC_COOKIE).value(started.getKey()).path("/sign-in/oidc")
                .httpOnly(true).secure(secure()).maxAge(600).sameSite(NewCookie.SameSite.LAX).build();
        return Response.seeOther(URI.create(location)).cookie(pending).build();
    }

    @GET
    @Path("sign-in/oidc/callback")
    @Produces(MediaType.TEXT_HTML)
    public Response oidcCallback(@QueryParam("code") String code, @QueryParam("state") String state,
            @QueryParam("error") String error, @CookieParam(OIDC_COOKIE) String pendingId) {
        ConsoleConfig.Oidc o = config.oidc();
        if (!o.enabled()) {
            throw new NotFoundException();
        }
        var p = oidcLogins.take(pendingId);
        NewCookie done = new NewCookie.Builder(OIDC_COOKIE).value("").path("/sign-in/oidc").httpOnly(true)
                .secure(secure()).maxAge(0).sameSite(NewCookie.SameSite.LAX).build();
        if (p == null || state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                p.state().getBytes(StandardCharsets.UTF_8))) {
            return Response
                    .fromResponse(signInPage(null,
                            "That sign-in did not start here or took too long;" + " please sign in again.", null))
                    .cookie(done).build();
        }
        if (error != null || code == null) {
            return Response.fromResponse(signInPage(null,
                    o.providerName() + " did not sign you in (" + (error == null ? "no code" : error) + ").", null))
                    .cookie(done).build();
        }
        ApiResult r = api.codeForTokens(o.tokenEndpoint().orElseThrow(), o.clientId().orElseThrow(),
                o.clientSecret().orElse(""), code, p.verifier(), redirectUri());
        if (!r.ok()) {
            return Response
                    .fromResponse(signInPage(null,
                            o.providerName() + " refused the sign-in: "
                                    + r.json().path("error").asText("status " + r.status()),
                            null))
                    .cookie(done).build();
        }
        // the ID token's signature is checked against the provider's JWKS (or, for HS256, the client secret), then
        // its issuer, audience, expiry and this sign-in's nonce
        JsonNode id = idTokens.verify(r.json().path("id_token").asText(""), p.nonce());
        if (id == null) {
            return Response
                    .fromResponse(
                            signInPage(null,
                                    "The sign-in answer from " + o.providerName()
                                            + " was not for this sign-in; please sign in again.",
                                    null))
                    .cookie(done).build();
        }
        String token = r.json().path("access_token").asText();
        Session s = session(token, id.path("sub").asText(claims(token).path("sub").asText("oidc")),
                r.json().path("expires_in").asLong(300));
        if (s == null) {
            return Response
                    .fromResponse(signInPage(null,
                            "Your account at " + o.providerName() + " has no"
                                    + " Keyhook admin role (groups integration-admin or platform-operator).",
                            null))
                    .cookie(done).build();
        }
        // a page, not a redirect: the browser sends a SameSite=Strict cookie only on navigations this site starts
        return Response.ok(Templates.signedIn()).type(MediaType.TEXT_HTML_TYPE).cookie(sessionCookie(s)).cookie(done)
                .build();
    }

    /** A session for an admin token; null when the token carries no admin role. */
    private Session session(String token, String who, long expiresIn) {
        JsonNode claims = claims(token);
        List<String> groups = strings(claims.get("groups"));
        if (!groups.contains("integration-admin") && !groups.contains("platform-operator")) {
            return null;
        }
        Instant expires = claims.has("exp") ? Instant.ofEpochSecond(claims.get("exp").asLong())
                : Instant.now().plusSeconds(expiresIn);
        return sessions.create(token, who, groups, strings(claims.get("environments")), expires);
    }

    private NewCookie sessionCookie(Session s) {
        long maxAge = Math.max(1, s.expiresAt().getEpochSecond() - Instant.now().getEpochSecond());
        return sessionCookie(s.id(), (int) maxAge);
    }

    private String redirectUri() {
        return config.oidc().redirectUri()
                .orElseGet(() -> uri.getBaseUriBuilder().path("sign-in/oidc/callback").build().toString());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    private Response tooManySignIns() {
        return Response
                .fromResponse(signInPage(null,
                        "Too many sign-in attempts from your address; please wait a" + " minute and try again.", null))
                .status(429).header("Retry-After", "60").build();
    }

    private Response signInPage(String clientId, String error, String notice) {
        String csrf = random();
        String n = notice;
        if (n == null && uri.getQueryParameters().containsKey("signed-out")) {
            n = "You are signed out.";
        }
        if (n == null && uri.getQueryParameters().containsKey("revoked")) {
            n = "Your access was revoked or changed; please sign in again.";
        }
        return Response.status(error == null ? 200 : 401)
                .entity(Templates.signIn(csrf, clientId == null ? "" : clientId, error, n,
                        config.oidc().enabled() ? config.oidc().providerName() : null))
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

    private String visitor(HttpServerRequest request) {
        return forwarded.client(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.headers()::getAll);
    }
}
