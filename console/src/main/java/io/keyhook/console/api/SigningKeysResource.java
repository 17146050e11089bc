package io.keyhook.console.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.NewSecret;
import io.keyhook.console.view.Page;
import io.keyhook.console.view.SigningKeyItem;
import io.keyhook.console.view.WebhookItem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A webhook's own signing keys (webhook-config-service's signing-keys API): the Ed25519 public keys ({@code whpk_} and
 * as a JWKS) or the whsec_ secrets (never their value but once, when made), "Add key" and "Retire". A retirement is
 * verified by the API (a ping signed with only the keys that stay); a refusal shows the ping's outcome and offers
 * "Retire anyway" with a reason. Its own prefix, so that JAX-RS never picks this class for the Webhooks page's actions.
 */
@Path("/environments/{env}/signing-keys/{webhook}")
@Produces(MediaType.TEXT_HTML)
public class SigningKeysResource {

    private static final Pattern KEY_ID = Pattern.compile("^whk_[0-9A-Za-z]{1,64}$");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance signingKeys(Page page, WebhookItem webhook, String scheme,
                List<SigningKeyItem> keys, String jwks, NewSecret created, String refusedKey, String ping,
                Map<String, String> errors);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @Inject
    ObjectMapper json;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @QueryParam("done") String done) {
        Page page = notice(pages.of(env, "webhooks", "Signing keys"), done);
        ApiResult w = api.get(pages.token(), webhookUrl(env, webhook));
        if (!w.ok()) {
            throw new NotFoundException();
        }
        ApiResult r = api.get(pages.token(), webhookUrl(env, webhook) + "/signing-keys");
        if (!r.ok()) {
            page = page.withError(r.message());
        }
        Flash f = pages.flash();
        return Templates.signingKeys(page, WebhookItem.of(w.json()), r.json().path("signatureScheme").asText(""),
                keys(r.json()), pretty(r.json().get("jwks")), pages.takeShownOnce(),
                f == null ? null : f.value("refusedKey", null), f == null ? null : f.value("ping", null),
                f == null ? Map.of() : f.fieldErrors());
    }

    @POST
    public Response add(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @RestForm("_csrf") String csrf) {
        pages.of(env, "webhooks", "Signing keys");
        pages.form(csrf);
        ApiResult r = api.post(pages.token(), webhookUrl(env, webhook) + "/signing-keys", Map.of());
        if (!r.ok()) {
            return pages.failed(base(env, webhook), r.message());
        }
        if (r.json().hasNonNull("secret")) {
            pages.showOnce(new NewSecret(webhook, r.json().path("id").asText(), r.json().path("secret").asText()));
        }
        return Response.seeOther(URI.create(base(env, webhook) + "?done=added")).build();
    }

    @POST
    @Path("{keyId}/retire")
    public Response retire(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @PathParam("keyId") String keyId, @RestForm("_csrf") String csrf, @RestForm String override,
            @RestForm String reason) {
        pages.of(env, "webhooks", "Signing keys");
        pages.form(csrf);
        if (!KEY_ID.matcher(keyId).matches()) {
            throw new NotFoundException(); // webhook-config-service's key ids; the id goes back into the page's form
        }
        boolean anyway = "true".equals(override);
        if (anyway && (reason == null || reason.isBlank())) {
            String e = "Retiring without the proof needs a reason: it is recorded and audited.";
            return pages.failed(base(env, webhook),
                    new Flash(e, Map.of("reason", e), Map.of("refusedKey", List.of(keyId))));
        }
        Map<String, Object> body = anyway ? Map.of("override", true, "reason", reason.strip()) : Map.of();
        ApiResult r = api.post(pages.token(), webhookUrl(env, webhook) + "/signing-keys/" + Api.enc(keyId) + "/retire",
                body);
        if ("retire_not_verified".equals(r.code())) {
            return pages.failed(base(env, webhook), new Flash(r.message(), r.fieldErrors(),
                    Map.of("refusedKey", List.of(keyId), "ping", List.of(ping(r.json().path("ping"))))));
        }
        if (!r.ok()) {
            return pages.failed(base(env, webhook), r.message());
        }
        return Response.seeOther(URI.create(base(env, webhook) + "?done=" + (anyway ? "overridden" : "retired")))
                .build();
    }

    /** The verification ping's outcome in a few words (the problem's {@code ping}). */
    static String ping(JsonNode p) {
        String answer = p.hasNonNull("statusCode") ? "your receiver answered HTTP " + p.path("statusCode").asInt()
                : p.hasNonNull("error") ? p.path("error").asText() : "no answer";
        return answer + (p.has("latencyMs") ? " after " + p.path("latencyMs").asInt() + " ms" : "");
    }

    private static List<SigningKeyItem> keys(JsonNode answer) {
        List<SigningKeyItem> out = new ArrayList<>();
        answer.path("keys").forEach(k -> out.add(SigningKeyItem.of(k)));
        return out;
    }

    /** The JWKS as the receiver would paste it (indented), or "" when the webhook has no Ed25519 key. */
    private String pretty(JsonNode jwks) {
        if (jwks == null || jwks.path("keys").isEmpty()) {
            return "";
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(jwks);
        } catch (JsonProcessingException e) {
            return jwks.toString();
        }
    }

    private static Page notice(Page page, String done) {
        if (done == null) {
            return page;
        }
        return switch (done) {
        case "created" -> page.withNotice("Webhook created. Give your receiver what it verifies with, below.");
        case "saved" -> page.withNotice("Webhook saved. Give your receiver what it verifies with, below.");
        case "added" -> page.withNotice("Key added: every delivery is now signed with it too. Give it to your"
                + " receiver beside the old one, then retire the old one.");
        case "retired" -> page
                .withNotice("Key retired: your receiver accepted a ping signed without it. It never" + " signs again.");
        case "overridden" -> page.withNotice("Key retired without the proof (recorded and audited).");
        default -> page;
        };
    }

    static String base(String env, String webhook) {
        return "/environments/" + Api.enc(env) + "/signing-keys/" + Api.enc(webhook);
    }

    private String webhookUrl(String env, String webhook) {
        return api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(webhook));
    }
}
