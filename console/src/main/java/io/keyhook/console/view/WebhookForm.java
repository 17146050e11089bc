package io.keyhook.console.view;

import java.util.List;
import java.util.Map;

/** The webhook form as shown: what was entered (or is configured), the choices, and the API's field errors. */
public record WebhookForm(String id, String url, String method, String tokenUrl, boolean paused, List<TypeGroup> types,
        List<SecretChoice> secrets, Map<String, String> errors, String signing, WebhookTuning tuning) {

    public boolean isNew() {
        return id == null;
    }

    public boolean method(String m) {
        return m.equals(method);
    }

    /** The standard-webhooks signing choice: {@code clientSecret}, {@code v1a} or {@code generated}. */
    public boolean signing(String s) {
        return s.equals(signing);
    }
}
