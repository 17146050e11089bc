package io.keyhook.token.service;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.token.client.CredentialsLookup;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.persistence.UsedAssertionRepository;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * RFC 7523 section 2.1: a JWT assertion as the authorization grant — the platform's original v1 exchange. HS256 only,
 * keyed by the UTF-8 octets of one of the client's active secrets; {@code iss} (and {@code sub}, if present) = client
 * id; {@code aud} = this token endpoint; {@code exp} required and short; {@code jti} required and accepted once. Every
 * problem is {@code invalid_grant}, as section 3.1 requires.
 */
@ApplicationScoped
public class AssertionGrant {

    private final TokenConfig config;
    private final ObjectMapper json;
    private final CredentialView view;
    private final CredentialsLookup lookup;
    private final SecretKeys secretKeys;
    private final UsedAssertionRepository usedAssertions;
    private final AbuseLimits limits;
    private final ClientAuthenticator authenticator;
    private final TokenEndpoint endpoint;

    AssertionGrant(TokenConfig config, ObjectMapper json, CredentialView view, CredentialsLookup lookup,
            SecretKeys secretKeys, UsedAssertionRepository usedAssertions, AbuseLimits limits,
            ClientAuthenticator authenticator, TokenEndpoint endpoint) {
        this.config = config;
        this.json = json;
        this.view = view;
        this.lookup = lookup;
        this.secretKeys = secretKeys;
        this.usedAssertions = usedAssertions;
        this.limits = limits;
        this.authenticator = authenticator;
        this.endpoint = endpoint;
    }

    public Uni<Authenticated> verify(String assertion, String source) {
        long start = System.nanoTime();
        AssertionClaims p = parse(assertion);
        // a good signature first: failures somebody else made never refuse it
        return findSigner(p).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            limits.checkPairNotBlocked(p.clientId(), source);
            limits.checkSourceNotBlocked(source);
            // a secret created a moment ago may not be in the view yet
            return lookup.refresh(p.clientId()).chain(() -> findSigner(p));
        }).chain(found -> {
            if (found == null) {
                authenticator.refuse(p.clientId(), source, "token.refused", view.client(p.clientId()),
                        "bad_assertion_signature");
                return authenticator.<Authenticated> failAfterFloor(start,
                        invalid("the assertion's signature does not verify with an active secret of its issuer")
                                .audited());
            }
            return usedAssertions.firstUse(p.clientId(), p.jti(), p.expiresAt()).map(first -> {
                if (!first) {
                    authenticator.refuse(p.clientId(), source, "token.refused", found.client(), "assertion_replayed");
                    throw invalid("the assertion's jti was already used").audited();
                }
                return found;
            });
        });
    }

    private Uni<Authenticated> findSigner(AssertionClaims p) {
        KnownClient client = view.client(p.clientId());
        if (client == null || !client.active() || client.privateKeyJwt()) {
            // a private_key_jwt client has no secret to sign an HS256 grant with
            return Uni.createFrom().nullItem();
        }
        List<KnownClient.KnownSecret> active = client.secrets().stream().filter(KnownClient.KnownSecret::active)
                .toList();
        return Multi.createFrom().iterable(active).onItem()
                .transformToUniAndConcatenate(s -> secretKeys.of(client, s)
                        .map(key -> key != null && signatureMatches(key, p) ? s : null).onFailure().recoverWithNull())
                .filter(s -> s != null).collect().first().map(s -> s == null ? null : new Authenticated(client, s));
    }

    private static boolean signatureMatches(byte[] key, AssertionClaims p) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return MessageDigest.isEqual(mac.doFinal(p.signingInput()), p.signature());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private AssertionClaims parse(String assertion) {
        return AssertionClaims.parse(assertion, json, tokenEndpoint(), Instant.now(), config.clockSkew(),
                config.assertions().maxLifetime());
    }

    String tokenEndpoint() {
        return endpoint.url();
    }

    private static OAuthException invalid(String description) {
        return AssertionClaims.invalid(description);
    }
}
