package io.keyhook.console.api;

import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import io.keyhook.console.view.Flash;
import io.keyhook.console.view.Page;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The Environment's notification addresses (webhook-config-service's {@code GET|PUT …/notification-settings}): who is
 * e-mailed when a webhook fails, is paused or recovers. The API validates the addresses; its errors show on the form.
 */
@Path("/environments/{env}/notification-settings")
@Produces(MediaType.TEXT_HTML)
public class NotificationSettingsResource {

    private static final Pattern INDEX = Pattern.compile("emails\\[(\\d{1,4})\\]");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance notificationSettings(Page page, String emails, String emailsError);
    }

    @Inject
    Api api;

    @Inject
    Pages pages;

    @GET
    public TemplateInstance page(@PathParam("env") String env, @QueryParam("done") String done) {
        Page page = pages.of(env, "activity", "Notification addresses");
        if ("saved".equals(done)) {
            page = page.withNotice("Notification addresses saved.");
        }
        Flash f = pages.flash();
        if (f != null && f.value("emails", null) != null) {
            return Templates.notificationSettings(page, f.value("emails", ""), f.fieldErrors().get("emails"));
        }
        ApiResult r = api.get(pages.token(), url(env));
        if (!r.ok()) {
            return Templates.notificationSettings(page.withError(r.message()), "", null);
        }
        List<String> emails = new ArrayList<>();
        r.json().path("emails").forEach(e -> emails.add(e.asText()));
        return Templates.notificationSettings(page, String.join("\n", emails), null);
    }

    @POST
    public Response save(@PathParam("env") String env, @RestForm("_csrf") String csrf, @RestForm String emails) {
        pages.of(env, "activity", "Notification addresses");
        pages.form(csrf);
        String typed = emails == null ? "" : emails;
        // one address a line (or separated by commas); blank lines are not addresses
        List<String> list = Arrays.stream(typed.split("[\\r\\n,]+")).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
        ApiResult r = api.put(pages.token(), url(env), Map.of("emails", list));
        String back = "/environments/" + Api.enc(env) + "/notification-settings";
        if (!r.ok()) {
            return pages.failed(back, new Flash(r.message(Map.of("emails", "Addresses")),
                    Map.of("emails", addressErrors(r, list)), Map.of("emails", List.of(typed))));
        }
        return Response.seeOther(URI.create(back + "?done=saved")).build();
    }

    /** The API's errors ({@code emails[i]}) naming the address they are about, so the person finds the line. */
    static String addressErrors(ApiResult r, List<String> sent) {
        List<String> out = new ArrayList<>();
        for (JsonNode e : r.json().path("errors")) {
            Matcher m = INDEX.matcher(e.path("field").asText(""));
            int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            String message = e.path("message").asText("");
            out.add(i >= 0 && i < sent.size() ? sent.get(i) + ": " + message : message);
        }
        return out.isEmpty() ? r.message() : String.join("; ", out);
    }

    private String url(String env) {
        return api.webhooks("/api/v1/environments/" + Api.enc(env) + "/notification-settings");
    }
}
