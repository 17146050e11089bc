package io.keyhook.console.api;

import java.net.URI;
import java.util.ArrayList;
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
import io.keyhook.console.view.KeyCheck;
import io.keyhook.console.view.KeyRotationItem;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The guided rotation of a private_key_jwt client's key (credentials-service's key-rotation API): paste the new public
 * key, start (the new key works at once, beside the old), then the two checks ({@code new_key_used},
 * {@code old_key_quiet}), "Check now", "Finish" (refused with the failing checks while they fail), "Finish anyway" with
 * a reason (recorded and audited), or "Cancel". The API decides; the console shows what it answers.
 */
@Path("/environments/{env}/key-rotations/{client}")
@Produces(MediaType.TEXT_HTML)
public class KeyRotationsResource {

    /** Flash values of a refused finish: each failing check as "name\u0000detail" (the problem body's checks). */
    static final String REFUSED = "refusedChecks";

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance start(Page page, ClientDetail client, String oldKid, String newKey,
                Map<String, String> errors);

        static native TemplateInstance keyRotation(Page page, KeyRotationItem rotation, List<KeyCheck> refused);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    @Path("new")
    public TemplateInstance newForm(@PathParam("env") String env, @PathParam("client") String client,
            @QueryParam("oldKid") String oldKid) {
        Page page = pages.of(env, "credentials", "Rotate a key");
        ApiResult r = api.get(pages.token(), clientUrl(env, client));
        if (!r.ok()) {
            throw new NotFoundException();
        }
        Flash f = pages.flash();
        return f == null ? Templates.start(page, ClientDetail.of(r.json()), oldKid == null ? "" : oldKid, "", Map.of())
                : Templates.start(page, ClientDetail.of(r.json()), f.value("oldKid", ""), f.value("newKey", ""),
                        f.fieldErrors());
    }

    @POST
    public Response start(@PathParam("env") String env, @PathParam("client") String client,
            @RestForm("_csrf") String csrf, @RestForm String oldKid, @RestForm String newKey) {
        pages.of(env, "credentials", "Rotate a key");
        pages.form(csrf);
        String back = base(env, client) + "/new";
        Map<String, List<String>> sent = Map.of("oldKid", List.of(oldKid == null ? "" : oldKid), "newKey",
                List.of(newKey == null ? "" : newKey));
        JsonNode jwk = KeyProblems.parse(newKey);
        if (KeyProblems.hasPrivateKey(jwk)) {
            return pages.failed(back, new Flash(KeyProblems.PRIVATE_KEY_PASTED,
                    Map.of("newKey", KeyProblems.PRIVATE_KEY_PASTED), Map.of("oldKid", sent.get("oldKid"))));
        }
        if (jwk != null && jwk.path("keys").isArray() && jwk.path("keys").size() == 1) {
            jwk = jwk.path("keys").get(0); // a one-key JWKS pasted where one JWK is asked for
        }
        if (jwk == null || !jwk.isObject()) {
            String e = "Paste the new public key as one JWK: {\"kty\": ..., \"kid\": ..., ...}.";
            return pages.failed(back, new Flash(e, Map.of("newKey", e), sent));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("oldKid", oldKid == null ? "" : oldKid);
        body.put("newKey", jwk);
        ApiResult r = api.post(pages.token(), rotationsUrl(env, client), body);
        if (!r.ok()) {
            Map<String, String> errors = KeyProblems.fieldErrors(r, "newKey", "newKey");
            if ("unknown_key".equals(r.code())) {
                errors.putIfAbsent("oldKid", r.message() + " (unknown_key)");
            }
            return pages.failed(back, new Flash(r.message(), errors, sent));
        }
        return Response
                .seeOther(URI.create(base(env, client) + "/" + Api.enc(r.json().path("id").asText()) + "?done=started"))
                .build();
    }

    /** The rotation as the API answers it now: each GET runs the checks afresh ("Check now" is a reload). */
    @GET
    @Path("{id}")
    public TemplateInstance show(@PathParam("env") String env, @PathParam("client") String client,
            @PathParam("id") String id, @QueryParam("done") String done) {
        Page page = pages.of(env, "credentials", "Key rotation");
        ApiResult r = api.get(pages.token(), rotationsUrl(env, client) + "/" + Api.enc(id));
        if (!r.ok()) {
            throw new NotFoundException();
        }
        KeyRotationItem rotation = KeyRotationItem.of(r.json());
        Flash f = pages.flash();
        List<KeyCheck> refused = new ArrayList<>();
        if (f != null) {
            for (String c : f.values(REFUSED, List.of())) {
                String[] nameDetail = c.split("\u0000", 2);
                refused.add(new KeyCheck(nameDetail[0], false, nameDetail.length > 1 ? nameDetail[1] : "", ""));
            }
        }
        return Templates.keyRotation(notice(page, done, rotation), rotation, refused);
    }

    @POST
    @Path("{id}/finish")
    public Response finish(@PathParam("env") String env, @PathParam("client") String client, @PathParam("id") String id,
            @RestForm("_csrf") String csrf, @RestForm String override, @RestForm String reason) {
        pages.of(env, "credentials", "Key rotation");
        pages.form(csrf);
        String back = base(env, client) + "/" + Api.enc(id);
        boolean anyway = "true".equals(override);
        if (anyway && (reason == null || reason.isBlank())) {
            // the API refuses it too (400); said here so the reason field is named
            String e = "Finishing without the proof needs a reason: it is recorded and audited.";
            return pages.failed(back, new Flash(e, Map.of("reason", e), null));
        }
        Map<String, Object> body = anyway ? Map.of("override", true, "reason", reason.strip()) : Map.of();
        ApiResult r = api.post(pages.token(), rotationsUrl(env, client) + "/" + Api.enc(id) + "/finish", body);
        if (!r.ok()) {
            List<String> failing = KeyCheck.listOf(r.json()).stream().filter(c -> !c.passed())
                    .map(c -> c.name() + "\u0000" + (c.detail() == null ? "" : c.detail())).toList();
            return pages.failed(back, new Flash(r.message(), r.fieldErrors(), Map.of(REFUSED, failing)));
        }
        return Response.seeOther(URI.create(back + "?done=finished")).build();
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("env") String env, @PathParam("client") String client, @PathParam("id") String id,
            @RestForm("_csrf") String csrf) {
        pages.of(env, "credentials", "Key rotation");
        pages.form(csrf);
        String back = base(env, client) + "/" + Api.enc(id);
        ApiResult r = api.post(pages.token(), rotationsUrl(env, client) + "/" + Api.enc(id) + "/cancel", Map.of());
        if (!r.ok()) {
            return pages.failed(back, r.message());
        }
        return Response.seeOther(URI.create(back + "?done=cancelled")).build();
    }

    private static Page notice(Page page, String done, KeyRotationItem rotation) {
        if (done == null) {
            return page;
        }
        return switch (done) {
        case "started" -> page.withNotice("Rotation started: the new key works now, beside the old one. Switch your"
                + " App to it; the checks below follow its token requests.");
        case "checked" -> page.withNotice(rotation.passed() ? "Both checks pass: the rotation can finish."
                : "Not verified yet: see the checks below.");
        case "finished" -> page.withNotice("Finished: the old key is no longer registered.");
        case "cancelled" -> page.withNotice("Rotation cancelled.");
        default -> page;
        };
    }

    static String base(String env, String client) {
        return "/environments/" + Api.enc(env) + "/key-rotations/" + Api.enc(client);
    }

    private String clientUrl(String env, String client) {
        return api.credentials("/api/v1/environments/" + Api.enc(env) + "/clients/" + Api.enc(client));
    }

    private String rotationsUrl(String env, String client) {
        return clientUrl(env, client) + "/key-rotations";
    }
}
