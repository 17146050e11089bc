package io.keyhook.console.api;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import io.keyhook.console.view.SecretChoice;
import io.keyhook.console.view.TypeGroup;
import io.keyhook.console.view.WebhookForm;
import io.keyhook.console.view.WebhookItem;
import io.keyhook.console.view.WebhookTuning;
import io.keyhook.core.id.SecurityMethods;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Webhooks page: list, create and edit (URL, security method and credential, notification types as an explicit
 * opt-in checklist), pause and resume, delete. The API decides what is valid; its messages show next to the fields.
 */
@Path("/environments/{env}/webhooks")
@Produces(MediaType.TEXT_HTML)
public class WebhooksResource {

    /** The form's labels for the API's field paths, so errors name what the person sees. */
    static final Map<String, String> LABELS = Map.ofEntries(Map.entry("url", "Destination URL"),
            Map.entry("security.method", "Security method"), Map.entry("security.tokenUrl", "Your token endpoint"),
            Map.entry("security.secretIds", "Signing credential"), Map.entry("security", "Signing credential"),
            Map.entry("notificationTypes", "Notification types"),
            Map.entry("security.signatureScheme", "Signature scheme"),
            Map.entry("security.signingSecret", "Signing credential"), Map.entry("timeoutMs", "Timeout (ms)"),
            Map.entry("maxInFlight", "Deliveries in flight at most"),
            Map.entry("rateLimitPerSecond", "Deliveries per second at most"), Map.entry("purpose", "Purpose"),
            Map.entry("headers", "Custom headers"));

    static final String CLIENT_SECRET = WebhookBodies.CLIENT_SECRET;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhooks(Page page, List<WebhookItem> webhooks, boolean limitReached);

        static native TemplateInstance form(Page page, WebhookForm form);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @Inject
    SecretChoices choices;

    @GET
    public TemplateInstance list(@PathParam("env") String env, @QueryParam("done") String done) {
        Page page = pages.of(env, "webhooks", "Webhooks");
        return listPage(env, notice(page, done));
    }

    @GET
    @Path("new")
    public TemplateInstance newForm(@PathParam("env") String env) {
        Page page = pages.of(env, "webhooks", "New webhook");
        Flash f = pages.flash();
        if (f == null && limitReached(env)) {
            // say it before the form is filled in, not after a refused submit
            return listPage(env, page);
        }
        return Templates.form(page, f == null
                ? form(env, null, "", SecurityMethods.STANDARD_WEBHOOKS, "", false, Set.of(), List.of(), Set.of(),
                        Map.of(), CLIENT_SECRET, WebhookTuning.blank())
                : form(env, null, f.value("url", ""), f.value("method", SecurityMethods.STANDARD_WEBHOOKS),
                        f.value("tokenUrl", ""), f.value("paused", null) != null,
                        set(f.values("notificationTypes", List.of())), List.of(), set(f.values("secretIds", List.of())),
                        f.fieldErrors(), f.value("signing", CLIENT_SECRET), WebhookTuning.of(f, "data")));
    }

    @POST
    @Path("new")
    public Response create(@PathParam("env") String env, @RestForm("_csrf") String csrf, @RestForm String url,
            @RestForm String method, @RestForm String tokenUrl, @RestForm List<String> secretIds,
            @RestForm List<String> notificationTypes, @RestForm String paused, @RestForm String signing,
            @RestForm String purpose, @RestForm String timeoutMs, @RestForm String maxInFlight,
            @RestForm String rateLimitPerSecond, @RestForm List<String> headerName,
            @RestForm List<String> headerValue) {
        pages.of(env, "webhooks", "New webhook");
        pages.form(csrf);
        WebhookTuning tuning = WebhookTuning.of(purpose, timeoutMs, maxInFlight, rateLimitPerSecond, headerName,
                headerValue);
        Map<String, List<String>> sent = WebhookBodies.values(url, method, tokenUrl, secretIds, notificationTypes,
                paused, signing, tuning);
        if (tuning.duplicateHeader() != null) {
            return pages.failed(base(env) + "/new", duplicateHeader(tuning, sent));
        }
        Map<String, Object> body = WebhookBodies.body(url, method, tokenUrl, secretIds, notificationTypes, signing,
                tuning, null);
        if (tuning.operational()) {
            body.put("purpose", tuning.purpose()); // absent is a data webhook
        }
        body.put("paused", paused != null);
        ApiResult r = api.post(pages.token(), webhooksUrl(env), body);
        if (!r.ok()) {
            if ("webhook_limit_reached".equals(r.code())) {
                return pages.failed(base(env), r.message());
            }
            return pages.failed(base(env) + "/new", new Flash(r.message(LABELS), WebhookBodies.errors(r), sent));
        }
        return afterSave(env, r.json(), "created");
    }

    private static Flash duplicateHeader(WebhookTuning tuning, Map<String, List<String>> sent) {
        String message = "The header " + tuning.duplicateHeader() + " is given twice; give each header once.";
        return new Flash("Please check Custom headers: " + message, Map.of("headers", message), sent);
    }

    /**
     * After a create or save: a webhook with keys of its own goes to its signing-keys page (its public key, or its new
     * whsec_ secret, shown there once); one signing with client secrets to the list, as before.
     */
    private Response afterSave(String env, JsonNode webhook, String done) {
        String id = webhook.path("id").asText();
        boolean own = false;
        for (JsonNode k : webhook.path("security").path("signingKeys")) {
            own = true;
            if (k.hasNonNull("secret")) {
                pages.showOnce(new NewSecret(id, k.path("id").asText(), k.path("secret").asText()));
            }
        }
        if (own) {
            return Response.seeOther(URI.create(SigningKeysResource.base(env, id) + "?done=" + done)).build();
        }
        return Response.seeOther(URI.create(base(env) + "?done=" + done)).build();
    }

    @GET
    @Path("{id}/edit")
    public TemplateInstance edit(@PathParam("env") String env, @PathParam("id") String id) {
        Page page = pages.of(env, "webhooks", "Edit webhook");
        WebhookItem w = webhook(env, id);
        Flash f = pages.flash();
        if (f != null) {
            return Templates.form(page,
                    form(env, w.id(), f.value("url", ""), f.value("method", w.method()), f.value("tokenUrl", ""),
                            w.paused(), set(f.values("notificationTypes", List.of())), w.unavailableTypes(),
                            set(f.values("secretIds", List.of())), f.fieldErrors(), f.value("signing", w.signing()),
                            WebhookTuning.of(f, w.purpose())));
        }
        return Templates.form(page,
                form(env, w.id(), w.url(), w.method(), w.tokenUrl(), w.paused(), new HashSet<>(w.notificationTypes()),
                        w.unavailableTypes(), new HashSet<>(w.secretIds()), Map.of(), w.signing(),
                        WebhookTuning.of(w)));
    }

    @POST
    @Path("{id}/edit")
    public Response update(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf,
            @RestForm String url, @RestForm String method, @RestForm String tokenUrl, @RestForm List<String> secretIds,
            @RestForm List<String> notificationTypes, @RestForm String signing, @RestForm String timeoutMs,
            @RestForm String maxInFlight, @RestForm String rateLimitPerSecond, @RestForm List<String> headerName,
            @RestForm List<String> headerValue) {
        pages.of(env, "webhooks", "Edit webhook");
        pages.form(csrf);
        // the purpose is fixed at creation (409 purpose_immutable): the one configured decides the body
        WebhookTuning current = WebhookTuning.of(webhook(env, id));
        WebhookTuning tuning = WebhookTuning.of(current.purpose(), timeoutMs, maxInFlight, rateLimitPerSecond,
                headerName, headerValue);
        Map<String, List<String>> sent = WebhookBodies.values(url, method, tokenUrl, secretIds, notificationTypes, null,
                signing, tuning);
        String back = base(env) + "/" + Api.enc(id) + "/edit";
        if (tuning.duplicateHeader() != null) {
            return pages.failed(back, duplicateHeader(tuning, sent));
        }
        ApiResult r = api.patch(pages.token(), webhooksUrl(env) + "/" + Api.enc(id),
                WebhookBodies.body(url, method, tokenUrl, secretIds, notificationTypes, signing, tuning, current));
        if (!r.ok()) {
            return pages.failed(back, new Flash(r.message(LABELS), WebhookBodies.errors(r), sent));
        }
        return afterSave(env, r.json(), "saved");
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf) {
        return action(env, id, csrf, "/pause", "paused");
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf) {
        return action(env, id, csrf, "/resume", "resumed");
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf) {
        pages.of(env, "webhooks", "Webhooks");
        pages.form(csrf);
        ApiResult r = api.delete(pages.token(), webhooksUrl(env) + "/" + Api.enc(id));
        if (!r.ok()) {
            return pages.failed(base(env), r.message());
        }
        return Response.seeOther(URI.create(base(env) + "?done=deleted")).build();
    }

    private Response action(String env, String id, String csrf, String path, String done) {
        pages.of(env, "webhooks", "Webhooks");
        pages.form(csrf);
        ApiResult r = api.post(pages.token(), webhooksUrl(env) + "/" + Api.enc(id) + path, Map.of());
        if (!r.ok()) {
            return pages.failed(base(env), r.message());
        }
        return Response.seeOther(URI.create(base(env) + "?done=" + done)).build();
    }

    private TemplateInstance listPage(String env, Page page) {
        ApiResult r = api.get(pages.token(), webhooksUrl(env));
        if (!r.ok()) {
            return Templates.webhooks(page.withError(r.message()), List.of(), false);
        }
        return Templates.webhooks(page, r.items().stream().map(WebhookItem::of).toList(), limitReached(env));
    }

    /** Whether the Environment has as many webhooks as it may (webhook-config-service's limit). */
    private boolean limitReached(String env) {
        ApiResult r = api.get(pages.token(), api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhook-limits"));
        return r.ok() && r.json().path("webhooks").asInt() >= r.json().path("maxWebhooks").asInt(Integer.MAX_VALUE);
    }

    private WebhookItem webhook(String env, String id) {
        ApiResult r = api.get(pages.token(), webhooksUrl(env) + "/" + Api.enc(id));
        if (!r.ok()) {
            throw new NotFoundException();
        }
        return WebhookItem.of(r.json());
    }

    /** The form with its choices: the types the Configuration offers, and every active secret of the Environment. */
    private WebhookForm form(String env, String id, String url, String method, String tokenUrl, boolean paused,
            Set<String> selectedTypes, List<String> unavailable, Set<String> selectedSecrets,
            Map<String, String> errors, String signing, WebhookTuning tuning) {
        ApiResult types = api.get(pages.token(),
                api.webhooks("/api/v1/environments/" + Api.enc(env) + "/notification-types"));
        List<String> offered = types.items().stream().map(JsonNode::asText).toList();
        List<SecretChoice> secrets = choices.of(env, (client, secret) -> selectedSecrets.contains(secret), true);
        return new WebhookForm(id, url == null ? "" : url, method == null ? SecurityMethods.STANDARD_WEBHOOKS : method,
                tokenUrl == null ? "" : tokenUrl, paused, TypeGroup.of(offered, selectedTypes, unavailable), secrets,
                errors, WebhookBodies.signing(signing), tuning);
    }

    private static Set<String> set(List<String> values) {
        return values == null ? Set.of() : new HashSet<>(values);
    }

    private static Page notice(Page page, String done) {
        if (done == null) {
            return page;
        }
        return switch (done) {
        case "created" -> page.withNotice("Webhook created. It receives only the notification types you chose.");
        case "saved" -> page.withNotice("Webhook saved.");
        case "paused" -> page
                .withNotice("Webhook paused: its events are held and delivered, in order, when you" + " resume it.");
        case "resumed" -> page.withNotice("Webhook resumed: held events are on their way.");
        case "deleted" -> page.withNotice("Webhook deleted.");
        default -> page;
        };
    }

    private String base(String env) {
        return "/environments/" + Api.enc(env) + "/webhooks";
    }

    private String webhooksUrl(String env) {
        return api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhooks");
    }
}
