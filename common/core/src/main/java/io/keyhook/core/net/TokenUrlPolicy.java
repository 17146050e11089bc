package io.keyhook.core.net;

import java.net.URI;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.common.net.InternetDomainName;

/**
 * Where token-exchange may send a webhook's client secret. The dispatcher posts the secret (HTTP Basic) to the
 * webhook's {@code tokenUrl}; if an integration admin could point that anywhere, a secret shown once could be read by
 * whoever runs that server. So the token URL must belong to the receiver: its host shares the destination's registrable
 * domain (public-suffix-list eTLD+1, e.g. {@code auth.clinic.example} for {@code hooks.clinic.example}), or is the
 * destination's host itself (IP literals, single-label hosts), or is on the operator's allow-list (a shared identity
 * provider such as {@code login.microsoftonline.com}). Checked when the webhook is saved and again before each token
 * request.
 */
public final class TokenUrlPolicy {

    private final Set<String> allowedHosts;

    /**
     * @param allowedHosts
     *            hosts the operator lets any receiver's token URL use (lower case, exact)
     */
    public TokenUrlPolicy(Set<String> allowedHosts) {
        this.allowedHosts = allowedHosts.stream().map(h -> h.trim().toLowerCase(Locale.ROOT)).filter(h -> !h.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** Refuses ({@code token_url_foreign}) a token URL that does not belong to the destination's site. */
    public void check(String destinationUrl, String tokenUrl) {
        String destination = host(destinationUrl);
        String token = host(tokenUrl);
        if (token == null || destination == null) {
            throw foreign();
        }
        if (token.equals(destination) || allowedHosts.contains(token)) {
            return;
        }
        String a = site(destination);
        String b = site(token);
        if (a == null || !a.equals(b)) {
            throw foreign();
        }
    }

    /**
     * The site a secret sent to {@code url} is disclosed to: its host's registrable domain (eTLD+1), or the host itself
     * for IP literals, single-label names and names under no public suffix. The scheme, port and path do not count (one
     * site may run its token endpoint anywhere on its hosts). Null when the URL has no host.
     */
    public static String siteOf(String url) {
        String h = host(url);
        if (h == null) {
            return null;
        }
        String site = site(h);
        return site == null ? h : site;
    }

    /** The registrable domain (eTLD+1) of a host name, or null for IP literals and names under no public suffix. */
    static String site(String host) {
        if (IpLiterals.parse(host) != null || !InternetDomainName.isValid(host)) {
            return null;
        }
        InternetDomainName name = InternetDomainName.from(host);
        return name.isUnderPublicSuffix() ? name.topPrivateDomain().toString() : null;
    }

    private static String host(String url) {
        try {
            String h = url == null ? null : URI.create(url).getHost();
            if (h == null) {
                return null;
            }
            h = h.toLowerCase(Locale.ROOT);
            return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static UnsafeDestinationException foreign() {
        return new UnsafeDestinationException("token_url_foreign",
                "the token URL must be on the destination's own site (same registrable domain) or on the operator's"
                        + " allow-list (keyhook token-url hosts): the webhook's client secret is sent to it");
    }
}
