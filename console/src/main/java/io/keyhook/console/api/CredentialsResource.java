package io.keyhook.console.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
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
import io.keyhook.console.view.ClientForm;
import io.keyhook.console.view.ClientItem;
import io.keyhook.console.view.DormantSecret;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.NewSecret;
import io.keyhook.console.view.Page;
import io.keyhook.console.view.SecretItem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Credentials page: API clients, their secrets (created, last used, held by which webhook), creating a client or
 * another secret (the value shown once, on the answer to that form, and never again), invalidating a secret.
 */
@Path("/environments/{env}/credentials")
@Produces(MediaType.TEXT_HTML)
public class CredentialsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance credentials(Page page, List<ClientItem> clients, NewSecret created,
                Map<String, String> errors, ClientForm form, List<DormantSecret> dormant);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("done") String done) {
        Page page = pages.of(env, "credentials", "Credentials");
        Flash f = pages.flash();
        return f == null ? render(env, notice(page, done), pages.takeShownOnce(), Map.of(), ClientForm.EMPTY)
                : render(env, page, null, f.fieldErrors(), ClientForm.of(f));
    }

    @POST
    @Path("clients")
    public Response createClient(@PathParam("env") String env, @RestForm("_csrf") String csrf, @RestForm String name,
            @RestForm String description, @RestForm String authMethod, @RestForm String keySource,
            @RestForm String jwks, @RestForm String jwksUri) {
        pages.of(env, "credentials", "Credentials");
        pages.form(csrf);
        boolean keys = "private_key_jwt".equals(authMethod);
        boolean byUrl = "jwksUri".equals(keySource);
        Map<String, List<String>> sent = Map.of("name", List.of(orEmpty(name)), "description",
                List.of(orEmpty(description)), "authMethod", List.of(keys ? "private_key_jwt" : "client_secret"),
                "keySource", List.of(byUrl ? "jwksUri" : "jwks"), "jwks", List.of(orEmpty(jwks)), "jwksUri",
                List.of(orEmpty(jwksUri)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name == null ? "" : name.trim());
        if (description != null && !description.isBlank()) {
            body.put("description", description.trim());
        }
        if (keys) {
            body.put("authMethod", "private_key_jwt");
            if (byUrl) {
                body.put("jwksUri", orEmpty(jwksUri).trim());
            } else {
                JsonNode set = KeyProblems.parse(jwks);
                if (KeyProblems.hasPrivateKey(set)) {
                    Map<String, List<String>> withoutKey = new HashMap<>(sent);
                    withoutKey.put("jwks", List.of(""));
                    return pages.failed(base(env), new Flash(KeyProblems.PRIVATE_KEY_PASTED,
                            Map.of("jwks", KeyProblems.PRIVATE_KEY_PASTED), withoutKey));
                }
                if (set == null) {
                    String e = "Paste the client's public keys as a JWKS: {\"keys\": [...]}.";
                    return pages.failed(base(env), new Flash(e, Map.of("jwks", e), sent));
                }
                body.put("jwks", set);
            }
        }
        ApiResult r = api.post(pages.token(), clientsUrl(env), body);
        if (!r.ok()) {
            return pages.failed(base(env), new Flash(r.message(), KeyProblems.fieldErrors(r, "jwks", "jwksUri"), sent));
        }
        String clientId = r.json().path("clientId").asText();
        JsonNode s = r.json().get("secret");
        if (s == null || s.isNull()) {
            // a private_key_jwt client has no secret: its page lists the keys it registered
            return Response.seeOther(URI.create(ClientPageResource.base(env, clientId) + "?done=client-created"))
                    .build();
        }
        pages.showOnce(new NewSecret(clientId, s.path("id").asText(), s.path("value").asText()));
        return Response.seeOther(URI.create(base(env) + "?done=client-created")).build();
    }

    @POST
    @Path("clients/{client}/secrets")
    public Response createSecret(@PathParam("env") String env, @PathParam("client") String client,
            @RestForm("_csrf") String csrf) {
        pages.of(env, "credentials", "Credentials");
        pages.form(csrf);
        ApiResult r = api.post(pages.token(), clientsUrl(env) + "/" + Api.enc(client) + "/secrets", Map.of());
        if (!r.ok()) {
            return pages.failed(base(env), r.message());
        }
        pages.showOnce(new NewSecret(client, r.json().path("id").asText(), r.json().path("value").asText()));
        return Response.seeOther(URI.create(base(env) + "?done=secret-created")).build();
    }

    @POST
    @Path("clients/{client}/secrets/{secret}/invalidate")
    public Response invalidate(@PathParam("env") String env, @PathParam("client") String client,
            @PathParam("secret") String secret, @RestForm("_csrf") String csrf) {
        pages.of(env, "credentials", "Credentials");
        pages.form(csrf);
        ApiResult r = api.post(pages.token(),
                clientsUrl(env) + "/" + Api.enc(client) + "/secrets/" + Api.enc(secret) + "/invalidate", Map.of());
        if (!r.ok()) {
            return pages.failed(base(env), r.message());
        }
        return Response.seeOther(URI.create(base(env) + "?done=invalidated")).build();
    }

    private TemplateInstance render(String env, Page page, NewSecret created, Map<String, String> errors,
            ClientForm form) {
        ApiResult list = api.get(pages.token(), clientsUrl(env));
        List<ClientItem> clients = new ArrayList<>();
        if (!list.ok()) {
            page = page.withError(list.message());
        } else {
            for (JsonNode c : list.items()) {
                if ("private_key_jwt".equals(c.path("authMethod").asText())) {
                    clients.add(ClientItem.of(c, List.of())); // no secrets: its keys come with it
                    continue;
                }
                ApiResult secrets = api.get(pages.token(),
                        clientsUrl(env) + "/" + Api.enc(c.path("clientId").asText()) + "/secrets");
                clients.add(ClientItem.of(c, secrets.items().stream().map(SecretItem::of).toList()));
            }
        }
        // the dormancy report: secrets unused for 30 days, candidates for invalidation (none shown if it fails)
        ApiResult report = api.get(pages.token(),
                api.credentials("/api/v1/environments/" + Api.enc(env) + "/dormant-credentials?unusedForDays=30"));
        List<DormantSecret> dormant = report.ok() ? report.items().stream().map(DormantSecret::of).toList() : List.of();
        return Templates.credentials(page, clients, created, errors, form, dormant);
    }

    private static Page notice(Page page, String done) {
        if (done == null) {
            return page;
        }
        return switch (done) {
        case "invalidated" -> page.withNotice(
                "Secret invalidated: it no longer issues tokens, and tokens issued" + " with it stop working.");
        case "client-created" -> page.withNotice("Client created.");
        case "secret-created" -> page
                .withNotice("New secret created. It works now, alongside the client's other" + " secrets.");
        default -> page;
        };
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String base(String env) {
        return "/environments/" + Api.enc(env) + "/credentials";
    }

    private String clientsUrl(String env) {
        return api.credentials("/api/v1/environments/" + Api.enc(env) + "/clients");
    }
}
