package io.keyhook.console.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.DroppedEvent;
import io.keyhook.console.view.EventTrail;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Follow one event: find it by its CloudEvent id (the dispatcher's {@code GET …/events/{eventId}}) to see the webhooks
 * it went to, or why it went nowhere; and the Environment's recent dropped events with their ids.
 */
@Path("/environments/{env}/events")
@Produces(MediaType.TEXT_HTML)
public class EventsResource {

    static final List<String> REASONS = List.of("not_opted_in", "unknown_type", "no_webhook");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance events(Page page, String id, EventTrail event, String notFound,
                List<DroppedEvent> dropped, String reason, List<String> reasons, String nextPage);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("id") String id,
            @QueryParam("reason") String reason, @QueryParam("cursor") String cursor) {
        Page page = pages.of(env, "deliveries", "Events");
        String eventId = id == null ? "" : id.strip();
        String why = reason != null && REASONS.contains(reason) ? reason : "";
        EventTrail event = null;
        String notFound = null;
        if (!eventId.isEmpty()) {
            ApiResult r = api.get(pages.token(),
                    api.dispatcher("/api/v1/environments/" + Api.enc(env) + "/events/" + Api.enc(eventId)));
            if (r.ok()) {
                event = EventTrail.of(r.json());
            } else if (r.notFound()) {
                notFound = r.message(); // event_not_found: never seen, or older than the retention
            } else {
                page = page.withError(r.message());
            }
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("reason", why);
        q.put("cursor", cursor);
        q.put("limit", "50");
        ApiResult d = api.get(pages.token(),
                api.dispatcher("/api/v1/environments/" + Api.enc(env) + "/dropped-events/recent" + Api.query(q)));
        List<DroppedEvent> dropped = d.items().stream().map(DroppedEvent::of).toList();
        if (!d.ok()) {
            page = page.withError(d.message());
        }
        String next = d.json().path("nextCursor").asText(null);
        String nextPage = next == null || next.isEmpty() ? null : Api.query("reason", why, "cursor", next) + "#dropped";
        return Templates.events(page, eventId, event, notFound, dropped, why, REASONS, nextPage);
    }
}
