package io.keyhook.console.api;

import java.net.URI;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.ClientDetail;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.KeyRotationItem;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * One API client's page: how it authenticates, its scopes and token lifetime, and for a private_key_jwt client its keys
 * (kid, algorithm, type, first and last use), replacing them (a pasted JWKS or a JWKS URL), and its key rotations. Its
 * own prefix (not under {@code /credentials}), so that JAX-RS never picks this class for the Credentials page's
 * actions.
 */
@Path("/environments/{env}/clients/{client}")
@Produces(MediaType.TEXT_HTML)
public class ClientPageResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance client(Page page, ClientDetail client, List<KeyRotationItem> rotations,
                Map<String, String> errors, Map<String, String> values);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @PathParam("client") String client,
            @QueryParam("done") String done) {
        Page page = notice(pages.of(env, "credentials", "Client"), done);
        ApiResult r = api.get(pages.token(), clientUrl(env, client));
        if (!r.ok()) {
            throw new NotFoundException();
        }
        ClientDetail c = ClientDetail.of(r.json());
        List<KeyRotationItem> rotations = List.of();
        if (c.inlineJwks()) {
            ApiResult list = api.get(pages.token(), clientUrl(env, client) + "/key-rotations");
            rotations = list.items().stream().map(KeyRotationItem::of).toList();
        }
        Flash f = pages.flash();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("keySource", c.jwksUri() == null ? "jwks" : "jwksUri");
        values.put("jwks", "");
        values.put("jwksUri", c.jwksUri() == null ? "" : c.jwksUri());
        values.put("scopes", c.scopesShown());
        values.put("tokenLifetimeSeconds", c.lifetimeShown());
        if (f != null) {
            values.replaceAll((k, v) -> f.value(k, v));
        }
        return Templates.client(page, c, rotations, f == null ? Map.of() : f.fieldErrors(), values);
    }

    /** Replaces the client's keys: PATCH {@code jwks} (pasted) or {@code jwksUri}. */
    @POST
    @Path("keys")
    public Response replaceKeys(@PathParam("env") String env, @PathParam("client") String client,
            @RestForm("_csrf") String csrf, @RestForm String keySource, @RestForm String jwks,
            @RestForm String jwksUri) {
        pages.of(env, "credentials", "Client");
        pages.form(csrf);
        boolean byUrl = "jwksUri".equals(keySource);
        Map<String, List<String>> sent = Map.of("keySource", List.of(byUrl ? "jwksUri" : "jwks"), "jwks",
                List.of(jwks == null ? "" : jwks), "jwksUri", List.of(jwksUri == null ? "" : jwksUri));
        Map<String, Object> body = new LinkedHashMap<>();
        if (byUrl) {
            body.put("jwksUri", jwksUri == null ? "" : jwksUri.trim());
        } else {
            JsonNode set = KeyProblems.parse(jwks);
            if (KeyProblems.hasPrivateKey(set)) {
                return pages.failed(base(env, client), new Flash(KeyProblems.PRIVATE_KEY_PASTED,
                        Map.of("jwks", KeyProblems.PRIVATE_KEY_PASTED), Map.of("keySource", List.of("jwks"))));
            }
            if (set == null) {
                String e = "Paste the client's public keys as a JWKS: {\"keys\": [...]}.";
                return pages.failed(base(env, client), new Flash(e, Map.of("jwks", e), sent));
            }
            body.put("jwks", set);
        }
        ApiResult r = api.patch(pages.token(), clientUrl(env, client), body);
        if (!r.ok()) {
            return pages.failed(base(env, client),
                    new Flash(r.message(), KeyProblems.fieldErrors(r, "jwks", "jwksUri"), sent));
        }
        return Response.seeOther(URI.create(base(env, client) + "?done=keys-replaced")).build();
    }

    /** Scopes (space-separated) and token lifetime: PATCH; a blank field leaves the value as it is. */
    @POST
    @Path("settings")
    public Response settings(@PathParam("env") String env, @PathParam("client") String client,
            @RestForm("_csrf") String csrf, @RestForm String scopes, @RestForm String tokenLifetimeSeconds) {
        pages.of(env, "credentials", "Client");
        pages.form(csrf);
        Map<String, List<String>> sent = Map.of("scopes", List.of(scopes == null ? "" : scopes), "tokenLifetimeSeconds",
                List.of(tokenLifetimeSeconds == null ? "" : tokenLifetimeSeconds));
        Map<String, Object> body = new LinkedHashMap<>();
        if (scopes != null && !scopes.isBlank()) {
            body.put("scopes", Arrays.stream(scopes.trim().split("\\s+")).toList());
        }
        if (tokenLifetimeSeconds != null && !tokenLifetimeSeconds.isBlank()) {
            try {
                body.put("tokenLifetimeSeconds", Long.parseLong(tokenLifetimeSeconds.trim()));
            } catch (NumberFormatException e) {
                String m = "A number of seconds, e.g. 300.";
                return pages.failed(base(env, client), new Flash(m, Map.of("tokenLifetimeSeconds", m), sent));
            }
        }
        if (body.isEmpty()) {
            return Response.seeOther(URI.create(base(env, client))).build();
        }
        ApiResult r = api.patch(pages.token(), clientUrl(env, client), body);
        if (!r.ok()) {
            return pages.failed(base(env, client), new Flash(r.message(), scopeErrors(r), sent));
        }
        return Response.seeOther(URI.create(base(env, client) + "?done=settings-saved")).build();
    }

    /** A scope problem names no field (its code does): it goes next to the scopes. */
    private static Map<String, String> scopeErrors(ApiResult r) {
        Map<String, String> out = new LinkedHashMap<>(r.fieldErrors());
        if (out.isEmpty() && r.code() != null) {
            out.put(r.code().contains("lifetime") ? "tokenLifetimeSeconds" : "scopes",
                    r.message() + " (" + r.code() + ")");
        }
        return out;
    }

    private static Page notice(Page page, String done) {
        if (done == null) {
            return page;
        }
        return switch (done) {
        case "client-created" -> page.withNotice("Client created. It gets tokens by signing a client assertion with"
                + " one of the keys below (private_key_jwt); it has no secret.");
        case "keys-replaced" -> page.withNotice(
                "Keys replaced: assertions signed with a key no longer listed are" + " refused from now on.");
        case "settings-saved" -> page.withNotice("Saved: tokens issued from now on carry these settings.");
        default -> page;
        };
    }

    static String base(String env, String client) {
        return "/environments/" + Api.enc(env) + "/clients/" + Api.enc(client);
    }

    private String clientUrl(String env, String client) {
        return api.credentials("/api/v1/environments/" + Api.enc(env) + "/clients/" + Api.enc(client));
    }
}
