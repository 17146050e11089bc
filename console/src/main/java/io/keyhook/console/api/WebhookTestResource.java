package io.keyhook.console.api;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.Page;
import io.keyhook.console.view.TestOutcome;
import io.keyhook.console.view.WebhookItem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * "Send test event": one signed {@code keyhook.test} event to a webhook now, through the dispatcher's {@code POST
 * …/webhooks/{id}/test}, and its outcome (status, latency, the receiver's answer excerpt). Under its own prefix, not
 * {@code /webhooks}, so no two resource classes share one.
 */
@Path("/environments/{env}/webhook-tests/{id}")
@Produces(MediaType.TEXT_HTML)
public class WebhookTestResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance webhookTest(Page page, WebhookItem webhook, TestOutcome outcome);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @PathParam("id") String id) {
        Page page = pages.of(env, "webhooks", "Send test event");
        ApiResult w = api.get(pages.token(),
                api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(id)));
        if (!w.ok()) {
            throw new NotFoundException();
        }
        return Templates.webhookTest(page, WebhookItem.of(w.json()), TestOutcome.of(pages.flash()));
    }

    @POST
    public Response send(@PathParam("env") String env, @PathParam("id") String id, @RestForm("_csrf") String csrf) {
        pages.of(env, "webhooks", "Send test event");
        pages.form(csrf);
        String back = "/environments/" + Api.enc(env) + "/webhook-tests/" + Api.enc(id);
        ApiResult r = api.post(pages.token(),
                api.dispatcher("/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(id) + "/test"),
                Map.of());
        if (!r.ok()) {
            return pages.failed(back, r.message());
        }
        // post/redirect/get: a reload shows the outcome page, it does not send another event
        return pages.redirect(back, new Flash(null, null, TestOutcome.of(r.json()).values()));
    }
}
