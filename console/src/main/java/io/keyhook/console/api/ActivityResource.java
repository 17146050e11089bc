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
import io.keyhook.console.view.ActivityItem;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Environment's activity feed: Keyhook's operational events about its integration (webhook-config-service's
 * {@code GET …/activity}), newest first, by type, one page at a time.
 */
@Path("/environments/{env}/activity")
@Produces(MediaType.TEXT_HTML)
public class ActivityResource {

    static final List<String> TYPES = List.of("keyhook.delivery.exhausted", "keyhook.webhook.failing",
            "keyhook.webhook.disabled", "keyhook.webhook.recovered", "keyhook.held.expiring",
            "keyhook.credential.expiring", "keyhook.gaps.available");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activity(Page page, List<ActivityItem> items, String type, List<String> types,
                String nextPage);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("type") String type,
            @QueryParam("cursor") String cursor) {
        Page page = pages.of(env, "activity", "Activity");
        String t = type != null && TYPES.contains(type) ? type : "";
        Map<String, String> q = new LinkedHashMap<>();
        q.put("type", t);
        q.put("cursor", cursor);
        q.put("limit", "50");
        ApiResult r = api.get(pages.token(),
                api.webhooks("/api/v1/environments/" + Api.enc(env) + "/activity" + Api.query(q)));
        if (!r.ok()) {
            return Templates.activity(page.withError(r.message()), List.of(), t, TYPES, null);
        }
        String next = r.json().path("nextCursor").asText(null);
        String nextPage = next == null || next.isEmpty() ? null : Api.query("type", t, "cursor", next);
        return Templates.activity(page, r.items().stream().map(ActivityItem::of).toList(), t, TYPES, nextPage);
    }
}
