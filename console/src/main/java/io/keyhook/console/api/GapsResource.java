package io.keyhook.console.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
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
import io.keyhook.console.view.GapItem;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * A webhook's gap manifest (the dispatcher's {@code GET …/webhooks/{id}/gaps?since=}): the records whose deliveries
 * ended failed or expired, so the receiver can re-pull them from the platform's API instead of a full re-sync.
 */
@Path("/environments/{env}/gaps/{webhook}")
@Produces(MediaType.TEXT_HTML)
public class GapsResource {

    /** How far back the page looks when no start is given. */
    static final int DEFAULT_DAYS = 7;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance gaps(Page page, String webhook, String since, List<GapItem> gaps,
                String generatedAt, String nextPage, String apiPath);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @PathParam("webhook") String webhook,
            @QueryParam("since") String since, @QueryParam("cursor") String cursor) {
        Page page = pages.of(env, "webhooks", "Gap manifest");
        String local = since == null || since.isBlank() ? Instant.now().minus(DEFAULT_DAYS, ChronoUnit.DAYS)
                .truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC).toLocalDateTime().toString() : since.strip();
        String from;
        try {
            from = DeliveriesResource.utc(local);
        } catch (DateTimeParseException e) {
            return Templates.gaps(page.withError("Give the start as a date and time (UTC)."), webhook, local, List.of(),
                    "", null, "");
        }
        String path = "/api/v1/environments/" + Api.enc(env) + "/webhooks/" + Api.enc(webhook) + "/gaps";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("since", from);
        q.put("cursor", cursor);
        q.put("limit", "100");
        ApiResult r = api.get(pages.token(), api.dispatcher(path + Api.query(q)));
        if (!r.ok()) {
            return Templates.gaps(page.withError(r.message()), webhook, local, List.of(), "", null, path);
        }
        String next = r.json().path("nextCursor").asText(null);
        String nextPage = next == null || next.isEmpty() ? null : Api.query("since", local, "cursor", next);
        return Templates.gaps(page, webhook, local, r.items().stream().map(GapItem::of).toList(),
                r.json().path("generatedAt").asText(""), nextPage, path + "?since=" + from);
    }
}
