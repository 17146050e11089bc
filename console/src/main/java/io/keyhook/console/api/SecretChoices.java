package io.keyhook.console.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyhook.console.client.Api;
import io.keyhook.console.client.ApiResult;
import io.keyhook.console.view.SecretChoice;

/** The Environment's client secrets as choices for a picker (the webhook form's credential, the wizard's secret). */
@RequestScoped
public class SecretChoices {

    @Inject
    Api api;

    @Inject
    Pages pages;

    /**
     * Every active secret, ticked where {@code selected(clientId, secretId)}; with {@code keepSelected}, also the
     * selected ones that are no longer active, so a form does not lose what it holds.
     */
    public List<SecretChoice> of(String env, BiPredicate<String, String> selected, boolean keepSelected) {
        String clients = api.credentials("/api/v1/environments/" + Api.enc(env) + "/clients");
        List<SecretChoice> out = new ArrayList<>();
        for (JsonNode c : api.get(pages.token(), clients).items()) {
            String clientId = c.path("clientId").asText();
            ApiResult secrets = api.get(pages.token(), clients + "/" + Api.enc(clientId) + "/secrets");
            for (JsonNode s : secrets.items()) {
                String secretId = s.path("id").asText();
                boolean ticked = selected.test(clientId, secretId);
                if ("active".equals(s.path("status").asText()) || keepSelected && ticked) {
                    out.add(new SecretChoice(secretId, clientId, c.path("name").asText(), s.path("createdAt").asText(),
                            ticked));
                }
            }
        }
        return out;
    }
}
