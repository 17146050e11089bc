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
import io.keyhook.console.view.AttemptItem;
import io.keyhook.console.view.DeliveryItem;
import io.keyhook.console.view.DeliverySearch;
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
                List<DeliveryItem> deliveries, List<String> statuses, DeliverySearch search, String nextPage,
                String chart, String from, String to, String since);

        static native TemplateInstance delivery(Page page, String webhook, DeliveryItem delivery,
                List<AttemptItem> attempts);
    }

    static final List<String> STATUSES = DeliverySearch.STATUSES;

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("webhook") String webhook,
            @QueryParam("status") String status, @QueryParam("type") String type,
            @QueryParam("resourceId") String resourceId, @QueryParam("eventId") String eventId,
            @QueryParam("messageId") String messageId, @QueryParam("cursor") String cursor,
            @QueryParam("done") String done) {
        Page page = pages.of(env, "deliveries", "Deliveries");
        if (done != null) {
            page = page.withNotice(notice(done));
        }
        Flash f = pages.flash();
        return render(env, page, new DeliverySearch(webhook, status, type, resourceId, eventId, messageId, cursor),
                f == null ? "" : f.value("from", ""), f == null ? "" : f.value("to", ""),
                f == null ? "" : f.value("since", ""));
    }

    private static String notice(String done) {
        if (done.startsWith("replayed-")) {
            return done.substring(9) + " event(s) queued again.";
        }
        if (done.startsWith("recovered-")) {
            String[] n = done.substring(10).split("-");
            String held = n.length > 1 && !"0".equals(n[1])
                    ? " " + n[1] + " held one(s) of the paused webhook stay held until you resume it." : "";
            return n[0] + " delivery(ies) not yet delivered are on their way now, in record order." + held;
        }
        return "attempted".equals(done) ? "The delivery is being attempted now."
                : "Delivery queued again; it goes out with the same webhook-id.";
    }

    /** One delivery with every attempt: status, latency and the receiver's answer excerpt. */
    @GET
    @Path("{webhook}/{delivery}")
    public TemplateInstance delivery(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @PathParam("delivery") String delivery) {
        Page page = pages.of(env, "deliveries", "Delivery");
        ApiResult r = api.get(pages.token(), deliveriesUrl(env, webhook) + "/" + Api.enc(delivery));
        if (r.notFound()) {
            throw new NotFoundException();
        }
        if (!r.ok()) {
            return Templates.delivery(page.withError(r.message()), webhook, null, List.of());
        }
        return Templates.delivery(page, webhook, DeliveryItem.of(r.json()), AttemptItem.of(r.json(), "attemptLog"));
    }

    /**
     * Recover: every delivery since then that was not delivered (failed, expired, or waiting for its next retry) goes
     * out now, in record order; delivered ones are not sent again.
     */
    @POST
    @Path("{webhook}/recover")
    public Response recover(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @RestForm("_csrf") String csrf, @RestForm String since) {
        pages.of(env, "deliveries", "Deliveries");
        pages.form(csrf);
        String back = base(env) + "?webhook=" + Api.enc(webhook);
        Map<String, List<String>> sent = Map.of("since", List.of(since == null ? "" : since));
        String from;
        try {
            from = utc(since);
        } catch (DateTimeParseException e) {
            return pages.failed(back, new Flash("Give the start of the recovery as a date and time (UTC).",
                    Map.of("since", "a date and time"), sent));
        }
        ApiResult r = api.post(pages.token(),
                api.dispatcher("/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(webhook) + "/recover"),
                Map.of("since", from));
        if (!r.ok()) {
            return pages.failed(back, new Flash(r.message(), r.fieldErrors(), sent));
        }
        // the held deliveries of a paused webhook are counted, not sent: they go out when it is resumed
        return Response.seeOther(URI.create(
                back + "&done=recovered-" + r.json().path("recovered").asInt() + "-" + r.json().path("held").asLong()))
                .build();
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

    private TemplateInstance render(String env, Page page, DeliverySearch search, String from, String to,
            String since) {
        ApiResult hooks = api.get(pages.token(), api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhooks"));
        List<WebhookItem> webhooks = hooks.items().stream().map(WebhookItem::of).toList();
        String chosen = !search.webhook().isEmpty() ? search.webhook()
                : webhooks.isEmpty() ? null : webhooks.get(0).id();
        List<DeliveryItem> deliveries = List.of();
        String nextPage = null;
        HourlyChart chart = new HourlyChart(Instant.now());
        if (chosen != null) {
            search = new DeliverySearch(chosen, search.status(), search.type(), search.resourceId(), search.eventId(),
                    search.messageId(), search.cursor());
            ApiResult r = api.get(pages.token(), deliveriesUrl(env, chosen) + Api.query(search.apiQuery(100)));
            if (!r.ok()) {
                page = page.withError(r.message());
            } else {
                deliveries = r.items().stream().map(DeliveryItem::of).toList();
                String next = r.json().path("nextCursor").asText(null);
                nextPage = next == null || next.isEmpty() ? null : search.next(next);
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
        return Templates.deliveries(page, webhooks, chosen == null ? "" : chosen, deliveries, STATUSES, search,
                nextPage, chart.svg(), from == null ? "" : from, to == null ? "" : to, since == null ? "" : since);
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
