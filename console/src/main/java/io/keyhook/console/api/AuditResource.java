package io.keyhook.console.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import io.keyhook.console.view.AuditItem;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The Environment's audit trail: credentials-service's and webhook-config-service's, newest first, filterable. */
@Path("/environments/{env}/audit")
@Produces(MediaType.TEXT_HTML)
public class AuditResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance audit(Page page, List<AuditItem> entries, String source, String action,
                String actor);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("source") String source,
            @QueryParam("action") String action, @QueryParam("actor") String actor) {
        Page page = pages.of(env, "audit", "Audit");
        List<AuditItem> entries = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (source == null || source.isBlank() || "credentials".equals(source)) {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("action", action);
            q.put("actor", actor);
            q.put("limit", "200");
            ApiResult r = api.get(pages.token(),
                    api.credentials("/api/v1/environments/" + Api.enc(env) + "/audit" + Api.query(q)));
            if (r.ok()) {
                r.items().forEach(n -> entries.add(AuditItem.ofCredentials(n)));
            } else {
                errors.add(r.message());
            }
        }
        if (source == null || source.isBlank() || "webhooks".equals(source)) {
            ApiResult r = api.get(pages.token(),
                    api.webhooks("/api/v1/environments/" + Api.enc(env) + "/webhook-audit?limit=200"));
            if (r.ok()) {
                // webhook-audit has no filters of its own: the same ones applied here
                r.items().stream().map(AuditItem::ofWebhooks).filter(e -> matches(e.action(), action))
                        .filter(e -> matches(e.actor(), actor)).forEach(entries::add);
            } else {
                errors.add(r.message());
            }
        }
        entries.sort(Comparator.comparing((AuditItem e) -> e.sortKey() == null ? "" : e.sortKey()).reversed());
        if (!errors.isEmpty()) {
            page = page.withError(String.join(" ", errors));
        }
        return Templates.audit(page, entries, source == null ? "" : source, action == null ? "" : action,
                actor == null ? "" : actor);
    }

    private static boolean matches(String value, String filter) {
        return filter == null || filter.isBlank()
                || (value != null && value.toLowerCase(Locale.ROOT).contains(filter.toLowerCase(Locale.ROOT)));
    }
}
