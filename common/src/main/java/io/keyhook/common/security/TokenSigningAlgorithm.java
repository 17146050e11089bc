package io.keyhook.common.security;

/**
 * The JWS algorithms Keyhook signs access tokens with (issue 30). The constant names are the JOSE names ({@code alg}),
 * so {@link #name()} is what goes in a token header, a JWK and {@code keyhook.token.signing.algorithm}.
 * <ul>
 * <li>{@code EdDSA}: Ed25519, the default and the fastest;</li>
 * <li>{@code ES256}: ECDSA on P-256 with SHA-256, the signature as JOSE's 64-byte R||S;</li>
 * <li>{@code RS256}: RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit or larger keys; what every resource server takes.</li>
 * </ul>
 */
public enum TokenSigningAlgorithm {
    EdDSA, ES256, RS256;

    /** The algorithm with exactly this JOSE name, or null (names are case-sensitive, as in a JWS header). */
    public static TokenSigningAlgorithm parse(String name) {
        if (name == null) {
            return null;
        }
        for (TokenSigningAlgorithm a : values()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
