package io.keyhook.console.api;

import java.net.URI;
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
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.NewSecret;
import io.keyhook.console.view.Page;
import io.keyhook.console.view.RotationItem;
import io.keyhook.console.view.RotationStep;
import io.keyhook.console.view.SecretChoice;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The rotation wizard: SPEC.md section 7's seven steps for one client secret, driven by the guided rotation API
 * (webhook-config-service). The console only shows where the rotation stands; the API does every step and refuses to
 * invalidate while anything still uses the old secret.
 */
@Path("/environments/{env}/rotations")
@Produces(MediaType.TEXT_HTML)
public class RotationsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance rotations(Page page, List<RotationItem> rotations, List<SecretChoice> secrets,
                String finishAfter, Map<String, String> errors);

        static native TemplateInstance rotation(Page page, RotationItem rotation, List<RotationStep> steps,
                NewSecret created);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @Inject
    SecretChoices choices;

    @GET
    public TemplateInstance list(@PathParam("env") String env) {
        Page page = pages.of(env, "rotations", "Rotation");
        return listPage(env, page, null, "", Map.of());
    }

    @GET
    @Path("new")
    public TemplateInstance start(@PathParam("env") String env, @QueryParam("secret") String secret) {
        Page page = pages.of(env, "rotations", "Rotation");
        Flash f = pages.flash();
        return f == null ? listPage(env, page, secret, "", Map.of())
                : listPage(env, page, f.value("secret", secret), f.value("finishAfter", ""), f.fieldErrors());
    }

    @POST
    public Response start(@PathParam("env") String env, @RestForm("_csrf") String csrf, @RestForm String secret,
            @RestForm String finishAfter) {
        pages.of(env, "rotations", "Rotation");
        pages.form(csrf);
        String back = "/environments/" + Api.enc(env) + "/rotations/new";
        Map<String, List<String>> sent = Map.of("secret", List.of(secret == null ? "" : secret), "finishAfter",
                List.of(finishAfter == null ? "" : finishAfter));
        String[] pair = secret == null ? new String[0] : secret.split("/", 2);
        if (pair.length != 2) {
            return pages.failed(back, new Flash("Choose the secret to rotate.",
                    Map.of("secretId", "Choose the secret to rotate."), sent));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("clientId", pair[0]);
        body.put("secretId", pair[1]);
        if (finishAfter != null && !finishAfter.isBlank()) {
            body.put("finishAfter", finishAfter.trim());
        }
        ApiResult r = api.post(pages.token(), rotationsUrl(env), body);
        if (!r.ok()) {
            return pages.failed(back, new Flash(r.message(), r.fieldErrors(), sent));
        }
        RotationItem rotation = RotationItem.of(r.json());
        JsonNode s = r.json().get("newSecret");
        if (s != null) {
            pages.showOnce(new NewSecret(rotation.clientId(), s.path("id").asText(), s.path("value").asText()));
        }
        return Response
                .seeOther(URI.create(
                        "/environments/" + Api.enc(env) + "/rotations/" + Api.enc(rotation.id()) + "?done=started"))
                .build();
    }

    @GET
    @Path("{id}")
    public TemplateInstance show(@PathParam("env") String env, @PathParam("id") String id,
            @QueryParam("done") String done) {
        Page page = pages.of(env, "rotations", "Rotation");
        ApiResult r = api.get(pages.token(), rotationsUrl(env) + "/" + Api.enc(id));
        if (!r.ok()) {
            throw new NotFoundException();
        }
        RotationItem rotation = RotationItem.of(r.json());
        NewSecret created = pages.takeShownOnce();
        if ("started".equals(done)) {
            page = page.withNotice("Rotation started.");
        } else if ("checked".equals(done)) {
            page = page.withNotice(rotation.checks() != null && rotation.checks().passed()
                    ? "Both checks pass: the rotation can finish." : "Not verified yet: see the checks below.");
        } else if ("finish".equals(done)) {
            page = page.withNotice(rotation.done() ? "The old secret is out of every webhook and invalidated."
                    : "Finishing: the old secret leaves the webhooks, then is invalidated.");
        }
        return Templates.rotation(page, rotation, RotationStep.of(rotation, newSecretUsed(env, rotation)), created);
    }

    @POST
    @Path("{id}/finish")
    public Response finish(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf,
            @RestForm("override") String override, @RestForm("reason") String reason) {
        pages.of(env, "rotations", "Rotation");
        pages.form(csrf);
        // an override goes with its reason; the API refuses one without (422 override_reason_required)
        Map<String, Object> body = "on".equals(override)
                ? Map.of("override", true, "reason", reason == null ? "" : reason) : Map.of();
        ApiResult r = api.post(pages.token(), rotationsUrl(env) + "/" + Api.enc(id) + "/finish", body);
        if (!r.ok()) {
            return pages.failed("/environments/" + Api.enc(env) + "/rotations/" + Api.enc(id), r.message());
        }
        return Response
                .seeOther(URI.create("/environments/" + Api.enc(env) + "/rotations/" + Api.enc(id) + "?done=finish"))
                .build();
    }

    @POST
    @Path("{id}/checks")
    public Response check(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf) {
        pages.of(env, "rotations", "Rotation");
        pages.form(csrf);
        ApiResult r = api.post(pages.token(), rotationsUrl(env) + "/" + Api.enc(id) + "/checks", Map.of());
        if (!r.ok()) {
            return pages.failed("/environments/" + Api.enc(env) + "/rotations/" + Api.enc(id), r.message());
        }
        return Response
                .seeOther(URI.create("/environments/" + Api.enc(env) + "/rotations/" + Api.enc(id) + "?done=checked"))
                .build();
    }

    private TemplateInstance listPage(String env, Page page, String selected, String finishAfter,
            Map<String, String> errors) {
        ApiResult r = api.get(pages.token(), rotationsUrl(env));
        List<RotationItem> rotations = r.items().stream().map(RotationItem::of).toList();
        if (!r.ok()) {
            page = page.withError(r.message());
        }
        return Templates.rotations(page, rotations, activeSecrets(env, selected),
                finishAfter == null ? "" : finishAfter, errors);
    }

    /** Every active secret, as "client/secret" choices; {@code selected} may be a secret id or "client/secret". */
    private List<SecretChoice> activeSecrets(String env, String selected) {
        return choices.of(env, (client, secret) -> selected != null
                && (selected.equals(secret) || selected.equals(client + "/" + secret)), false);
    }

    /** Whether a token has been issued with the rotation's new secret (the credentials API's lastUsedAt). */
    private boolean newSecretUsed(String env, RotationItem rotation) {
        if (rotation.newSecretId() == null) {
            return false;
        }
        ApiResult secrets = api.get(pages.token(), clientsUrl(env) + "/" + Api.enc(rotation.clientId()) + "/secrets");
        return secrets.items().stream().anyMatch(s -> rotation.newSecretId().equals(s.path("id").asText())
                && !s.path("lastUsedAt").isMissingNode() && !s.path("lastUsedAt").isNull());
    }

    private String clientsUrl(String env) {
        return api.credentials("/api/v1/environments/" + Api.enc(env) + "/clients");
    }

    private String rotationsUrl(String env) {
        return api.webhooks("/api/v1/environments/" + Api.enc(env) + "/rotations");
    }
}
