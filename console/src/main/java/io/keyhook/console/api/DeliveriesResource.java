package io.keyhook.console.api;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
import io.keyhook.console.view.DeliveryItem;
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.HourlyChart;
import io.keyhook.console.view.Page;
import io.keyhook.console.view.WebhookItem;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Deliveries of one webhook (the dispatcher's delivery log): status, attempts, status codes, latency, next retry;
 * filters; redeliver one; replay a time range; delivered and failed per hour as a server-drawn SVG.
 */
@Path("/environments/{env}/deliveries")
@Produces(MediaType.TEXT_HTML)
public class DeliveriesResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance deliveries(Page page, List<WebhookItem> webhooks, String webhook,
                List<DeliveryItem> deliveries, List<String> statuses, String status, String type, String chart,
                String from, String to);
    }

    static final List<String> STATUSES = List.of("pending", "held", "delivered", "failed", "expired");

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("webhook") String webhook,
            @QueryParam("status") String status, @QueryParam("type") String type, @QueryParam("done") String done) {
        Page page = pages.of(env, "deliveries", "Deliveries");
        if (done != null) {
            page = page.withNotice(done.startsWith("replayed-") ? done.substring(9) + " event(s) queued again."
                    : "attempted".equals(done) ? "The delivery is being attempted now."
                            : "Delivery queued again; it goes out with the same webhook-id.");
        }
        Flash f = pages.flash();
        return render(env, page, webhook, status, type, f == null ? "" : f.value("from", ""),
                f == null ? "" : f.value("to", ""));
    }

    @POST
    @Path("{webhook}/{delivery}/redeliver")
    public Response redeliver(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @PathParam("delivery") String delivery, @RestForm("_csrf") String csrf) {
        return deliveryAction(env, webhook, delivery, csrf, "/redeliver", "redelivered");
    }

    /** A pending delivery is attempted now instead of at its next retry (the receiver was fixed). */
    @POST
    @Path("{webhook}/{delivery}/attempt-now")
    public Response attemptNow(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @PathParam("delivery") String delivery, @RestForm("_csrf") String csrf) {
        return deliveryAction(env, webhook, delivery, csrf, "/attempt-now", "attempted");
    }

    /** One delivery's action at the dispatcher; back to the webhook's deliveries, with the outcome either way. */
    private Response deliveryAction(String env, String webhook, String delivery, String csrf, String action,
            String done) {
        pages.of(env, "deliveries", "Deliveries");
        pages.form(csrf);
        String back = base(env) + "?webhook=" + Api.enc(webhook);
        ApiResult r = api.post(pages.token(), deliveriesUrl(env, webhook) + "/" + Api.enc(delivery) + action, Map.of());
        if (!r.ok()) {
            return pages.failed(back, r.message());
        }
        return Response.seeOther(URI.create(back + "&done=" + done)).build();
    }

    @POST
    @Path("{webhook}/replay")
    public Response replay(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @RestForm("_csrf") String csrf, @RestForm String from, @RestForm String to) {
        pages.of(env, "deliveries", "Deliveries");
        pages.form(csrf);
        String back = base(env) + "?webhook=" + Api.enc(webhook);
        Map<String, List<String>> sent = Map.of("from", List.of(from == null ? "" : from), "to",
                List.of(to == null ? "" : to));
        Map<String, Object> body = new LinkedHashMap<>();
        try {
            body.put("from", utc(from));
            body.put("to", utc(to));
        } catch (DateTimeParseException e) {
            return pages.failed(back, new Flash("Give the range as a date and time (UTC).", null, sent));
        }
        ApiResult r = api.post(pages.token(),
                api.dispatcher("/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(webhook) + "/replay"),
                body);
        if (!r.ok()) {
            return pages.failed(back, new Flash(r.message(), r.fieldErrors(), sent));
        }
        return Response.seeOther(URI.create(
                base(env) + "?webhook=" + Api.enc(webhook) + "&done=replayed-" + r.json().path("replayed").asInt()))
                .build();
    }

    private TemplateInstance render(String env, Page page, String webhook, String status, String type, String from,
            String to) {
        ApiResult hooks = api.get(pages.token(), api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhooks"));
        List<WebhookItem> webhooks = hooks.items().stream().map(WebhookItem::of).toList();
        String chosen = webhook != null && !webhook.isBlank() ? webhook
                : webhooks.isEmpty() ? null : webhooks.get(0).id();
        List<DeliveryItem> deliveries = List.of();
        HourlyChart chart = new HourlyChart(Instant.now());
        if (chosen != null) {
            String s = status != null && STATUSES.contains(status) ? status : null;
            ApiResult r = api.get(pages.token(),
                    deliveriesUrl(env, chosen) + Api.query(map("status", s, "type", type, "limit", "100")));
            if (!r.ok()) {
                page = page.withError(r.message());
            } else {
                deliveries = r.items().stream().map(DeliveryItem::of).toList();
            }
            // the chart counts the last 24 hours whatever the filters
            ApiResult day = api.get(pages.token(),
                    deliveriesUrl(env, chosen) + Api.query(map("from",
                            Instant.now().truncatedTo(ChronoUnit.HOURS).minus(23, ChronoUnit.HOURS).toString(), "limit",
                            "500")));
            for (JsonNode d : day.items()) {
                chart.add(Instant.parse(d.path("createdAt").asText()), d.path("status").asText());
            }
        }
        return Templates.deliveries(page, webhooks, chosen == null ? "" : chosen, deliveries, STATUSES,
                status == null ? "" : status, type == null ? "" : type, chart.svg(), from == null ? "" : from,
                to == null ? "" : to);
    }

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** A datetime-local value (taken as UTC) as an instant. */
    static String utc(String local) {
        if (local == null || local.isBlank()) {
            throw new DateTimeParseException("empty", "", 0);
        }
        return LocalDateTime.parse(local.trim()).toInstant(ZoneOffset.UTC).toString();
    }

    private String base(String env) {
        return "/environments/" + Api.enc(env) + "/deliveries";
    }

    private String deliveriesUrl(String env, String webhook) {
        return api.dispatcher("/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(webhook) + "/deliveries");
    }
}
