package io.keyhook.token.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;

import io.keyhook.token.client.CredentialsLookup;
import io.keyhook.token.client.JwksFetcher;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.persistence.UsedAssertionRepository;
import io.keyhook.token.view.ClientKeys;
import io.keyhook.token.view.CredentialView;
import io.keyhook.token.view.KnownClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 section 2.2, SMART Backend Services): the
 * {@link ClientAssertion} must be signed by exactly one of the client's registered keys with that {@code kid}, of a
 * {@code kty} that fits the {@code alg}; a {@code jku} must be the registered {@code jwksUri} (no other URL is ever
 * fetched); the {@code jti} is accepted once across replicas ({@link UsedAssertionRepository}, as for RFC 7523 grants).
 * As for secrets ({@link ClientAuthenticator}): the signature is checked before any block, so a correct assertion is
 * never refused because of failures somebody else made; a failure asks credentials-service once (a client or key
 * created a moment ago), then counts against the limits, is audited, and is answered 401 {@code invalid_client} no
 * sooner than the failure floor.
 */
@ApplicationScoped
public class ClientAssertionAuthenticator {

    /** The client that signed, or why nobody did. */
    private record Outcome(Authenticated ok, String reason) {
        static Uni<Outcome> refused(String reason) {
            return Uni.createFrom().item(new Outcome(null, reason));
        }
    }

    private final TokenConfig config;
    private final CredentialView view;
    private final CredentialsLookup lookup;
    private final JwksFetcher fetcher;
    private final UsedAssertionRepository usedAssertions;
    private final AbuseLimits limits;
    private final ClientAuthenticator authenticator;
    private final TokenEndpoint endpoint;
    private final Counter suppressed;

    ClientAssertionAuthenticator(TokenConfig config, CredentialView view, CredentialsLookup lookup, JwksFetcher fetcher,
            UsedAssertionRepository usedAssertions, AbuseLimits limits, ClientAuthenticator authenticator,
            TokenEndpoint endpoint, MeterRegistry registry) {
        this.config = config;
        this.view = view;
        this.lookup = lookup;
        this.fetcher = fetcher;
        this.usedAssertions = usedAssertions;
        this.limits = limits;
        this.authenticator = authenticator;
        this.endpoint = endpoint;
        this.suppressed = registry.counter("keyhook.token.audit.suppressed");
    }

    /**
     * Emits the authenticated client, or fails with an {@link OAuthException}: 401 {@code invalid_client} (a malformed
     * assertion throws it at once), 429 when blocked.
     *
     * @param clientId
     *            the {@code client_id} form parameter, or null; when sent it must equal the assertion's {@code iss}
     */
    public Uni<Authenticated> authenticate(String assertion, String clientId, String source, String action) {
        long start = System.nanoTime();
        ClientAssertion a = ClientAssertion.parse(assertion, List.of(endpoint.url(), config.issuer()), Instant.now(),
                config.clockSkew(), config.assertions().maxLifetime());
        if (clientId != null && !clientId.equals(a.clientId())) {
            throw ClientAssertion.invalid("client_id differs from the client assertion's iss");
        }
        String id = a.clientId();
        // the state the first attempt is judged against: a newer one read later (the topic, or the lookup) is a reason
        // to try again, even when the topic delivered it while the first attempt was failing
        KnownClient seen = view.client(id);
        return attempt(a).chain(first -> {
            if (first.ok() != null) {
                return Uni.createFrom().item(first);
            }
            // not verified: now the blocks apply, as for a wrong secret
            try {
                limits.checkPairNotBlocked(id, source);
            } catch (OAuthException blocked) {
                suppressed.increment();
                return authenticator.failAfterFloor(start, blocked);
            }
            try {
                // a source that has failed too often may not make us ask credentials-service any more
                limits.checkSourceNotBlocked(source);
            } catch (OAuthException blocked) {
                suppressed.increment();
                limits.failed(id, source);
                return authenticator.failAfterFloor(start, blocked);
            }
            // a client or key registered a moment ago may not be in the view yet; try again only if the lookup
            // brought a newer state (the same one would fail the same way, and could fetch a jwksUri again)
            return lookup.refresh(id)
                    .chain(() -> newer(seen, view.client(id)) ? attempt(a) : Uni.createFrom().item(first));
        }).chain(outcome -> {
            if (outcome.ok() == null) {
                return authenticator.failAfterFloor(start,
                        authenticator.refuse(id, source, action, view.client(id), outcome.reason()));
            }
            return usedAssertions.firstUse(id, a.jti(), a.expiresAt())
                    .chain(first -> first ? Uni.createFrom().item(outcome.ok()) : authenticator.failAfterFloor(start,
                            authenticator.refuse(id, source, action, outcome.ok().client(), "assertion_replayed")));
        });
    }

    /** Verifies against what the view holds now (and, for a jwksUri, what the URI serves). */
    private Uni<Outcome> attempt(ClientAssertion a) {
        KnownClient c = view.client(a.clientId());
        if (c == null) {
            return Outcome.refused("unknown_client");
        }
        if (!c.privateKeyJwt()) {
            return Outcome.refused("auth_method_mismatch");
        }
        if (!c.active()) {
            return Outcome.refused("credential_inactive");
        }
        if (a.jku() != null && !a.jku().equals(c.jwksUri())) {
            // never fetch a jku the client did not register
            return Outcome.refused("jku_not_registered");
        }
        if (c.jwksUri() == null) {
            return Uni.createFrom().item(check(c, a, c.keys()));
        }
        return fetcher.keys(c.jwksUri())
                .chain(keys -> withKid(keys, a.kid()).isEmpty()
                        ? fetcher.keysAfterUnknownKid(c.jwksUri()).map(again -> check(c, a, again))
                        : Uni.createFrom().item(check(c, a, keys)));
    }

    private static Outcome check(KnownClient c, ClientAssertion a, List<JWK> keys) {
        List<JWK> matching = withKid(keys, a.kid());
        if (matching.size() != 1) {
            return new Outcome(null, matching.isEmpty() ? "unknown_kid" : "ambiguous_kid");
        }
        JWK key = matching.get(0);
        if (!ClientKeys.fits(key, a.alg())) {
            return new Outcome(null, "key_alg_mismatch");
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().equals(a.alg())
                && !"Ed25519".equals(key.getAlgorithm().getName())) {
            return new Outcome(null, "key_alg_mismatch");
        }
        if (!verifies(a.jwt(), key)) {
            return new Outcome(null, "bad_assertion_signature");
        }
        return new Outcome(new Authenticated(c, c.keyCredential(), a.kid()), null);
    }

    private static boolean newer(KnownClient before, KnownClient after) {
        return after != null && (before == null || !java.util.Objects.equals(before.updatedAt(), after.updatedAt()));
    }

    private static List<JWK> withKid(List<JWK> keys, String kid) {
        return keys.stream().filter(k -> kid.equals(k.getKeyID())).toList();
    }

    /** RSA and EC through Nimbus (JCA); Ed25519 through BouncyCastle, as token-service signs its own tokens. */
    static boolean verifies(SignedJWT jwt, JWK key) {
        try {
            if (key instanceof RSAKey rsa) {
                return jwt.verify(new RSASSAVerifier(rsa));
            }
            if (key instanceof ECKey ec) {
                return jwt.verify(new ECDSAVerifier(ec));
            }
            if (key instanceof OctetKeyPair okp) {
                byte[] signature = jwt.getSignature().decode();
                if (signature.length != 64) {
                    return false;
                }
                Ed25519Signer verifier = new Ed25519Signer();
                verifier.init(false, new Ed25519PublicKeyParameters(okp.getDecodedX(), 0));
                byte[] input = jwt.getSigningInput();
                verifier.update(input, 0, input.length);
                return verifier.verifySignature(signature);
            }
            return false;
        } catch (JOSEException | RuntimeException e) {
            return false;
        }
    }
}
