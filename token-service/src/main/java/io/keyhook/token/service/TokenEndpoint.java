package io.keyhook.token.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.keyhook.token.config.TokenConfig;

/** The token endpoint's URL as clients see it (the audience of RFC 7523 assertions, the metadata document). */
@ApplicationScoped
public class TokenEndpoint {

    @Inject
    TokenConfig config;

    public String url() {
        return config.tokenEndpoint().map(Object::toString).orElseGet(() -> base() + "/oauth2/token");
    }

    /** The issuer without a trailing slash, the base of every endpoint URL. */
    public String base() {
        String issuer = config.issuer();
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }
}
