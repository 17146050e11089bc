package io.keyhook.console.api;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.WebhookTuning;
import io.keyhook.core.id.SecurityMethods;

/** The webhook form's request bodies for webhook-config-service, and the values a refused form comes back with. */
final class WebhookBodies {

    /** The standard-webhooks signing choices (the form's {@code signing}). */
    static final String CLIENT_SECRET = "clientSecret";
    static final String V1A = "v1a";
    static final String GENERATED = "generated";

    private WebhookBodies() {
    }

    /**
     * A create ({@code current} null) or PATCH body. An operational webhook gets every operational event of its
     * Environment and takes no notification types (the API refuses them), so none are sent for it; the tuning fields
     * are sent as {@link WebhookTuning#requestFields} says.
     */
    static Map<String, Object> body(String url, String method, String tokenUrl, List<String> secretIds,
            List<String> notificationTypes, String signing, WebhookTuning tuning, WebhookTuning current) {
        Map<String, Object> security = new LinkedHashMap<>();
        security.put("method", method == null ? "" : method);
        String own = SecurityMethods.STANDARD_WEBHOOKS.equals(method) ? signing(signing) : CLIENT_SECRET;
        // keys of the webhook's own replace client secrets (SecurityBody: no secretIds beside them)
        if (V1A.equals(own)) {
            security.put("signatureScheme", V1A);
        } else if (GENERATED.equals(own)) {
            security.put("signingSecret", GENERATED);
        } else {
            security.put("secretIds", secretIds == null ? List.of() : secretIds);
        }
        if (SecurityMethods.TOKEN_EXCHANGE.equals(method) && tokenUrl != null && !tokenUrl.isBlank()) {
            security.put("tokenUrl", tokenUrl.trim());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("url", url == null ? "" : url.trim());
        if (!tuning.operational()) {
            body.put("notificationTypes", notificationTypes == null ? List.of() : notificationTypes);
        }
        body.put("security", security);
        body.putAll(tuning.requestFields(current));
        return body;
    }

    static Map<String, List<String>> values(String url, String method, String tokenUrl, List<String> secretIds,
            List<String> notificationTypes, String paused, String signing, WebhookTuning tuning) {
        Map<String, List<String>> v = new HashMap<>();
        v.put("signing", List.of(signing(signing)));
        v.put("url", List.of(url == null ? "" : url));
        v.put("method", List.of(method == null ? "" : method));
        v.put("tokenUrl", List.of(tokenUrl == null ? "" : tokenUrl));
        v.put("secretIds", secretIds == null ? List.of() : List.copyOf(secretIds));
        v.put("notificationTypes", notificationTypes == null ? List.of() : List.copyOf(notificationTypes));
        if (paused != null) {
            v.put("paused", List.of(paused));
        }
        tuning.putValues(v);
        return v;
    }

    /**
     * The API's field errors by form field; a custom header's error ({@code headers.X-Name} or {@code headers[..]})
     * goes next to the header rows, naming the header.
     */
    static Map<String, String> errors(ApiResult r) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : r.json().path("errors")) {
            String field = e.path("field").asText("");
            String message = e.path("message").asText("");
            if (field.startsWith("headers")) {
                String name = field.substring("headers".length()).replaceAll("^[.\\[]|]$", "");
                out.merge("headers", name.isEmpty() ? message : name + ": " + message, (a, b) -> a + "; " + b);
            } else {
                // "security.secretIds[0]" -> "secretIds": the form field it belongs to
                String path = field.replaceAll("\\[\\d+\\]", "");
                out.merge(path.substring(path.lastIndexOf('.') + 1), message, (a, b) -> a + "; " + b);
            }
        }
        if (!out.containsKey("headers") && r.code() != null && r.code().contains("header")) {
            out.put("headers", r.message()); // a problem about the headers without a field path
        }
        return out;
    }

    /** The signing choice as sent; anything else is the client secrets of before. */
    static String signing(String s) {
        return V1A.equals(s) || GENERATED.equals(s) ? s : CLIENT_SECRET;
    }
}
