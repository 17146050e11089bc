package io.keyhook.console.api;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.EnvironmentItem;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The Environment picker: only the Environments the admin may touch, each with its Configuration (read-only). */
@Path("/environments")
public class EnvironmentsResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance environments(Page page, List<EnvironmentItem> environments, String q, int total);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @Inject
    CurrentSession session;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@QueryParam("q") String q) {
        Page page = pages.plain("Environments");
        String query = q == null ? "" : q.strip();
        ApiResult r = api.get(session.token(), api.credentials("/api/v1/environments"));
        if (!r.ok()) {
            return Templates.environments(page.withError(r.message()), List.of(), query, 0);
        }
        List<EnvironmentItem> envs = r.items().stream().map(EnvironmentItem::of)
                .filter(e -> session.get().mayTouch(e.id())).toList();
        // an operator may see hundreds: the search narrows the list on the server, so it works without the script
        List<EnvironmentItem> shown = envs.stream().filter(e -> e.matches(query)).toList();
        return Templates.environments(page, shown, query, envs.size());
    }

    @GET
    @Path("{env}")
    public Response environment(@PathParam("env") String env) {
        session.mayTouch(env);
        return Response.seeOther(URI.create("/environments/" + Api.enc(env) + "/credentials")).build();
    }
}
