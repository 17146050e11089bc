package io.keyhook.common.config;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.keyhook.core.net.Cidr;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.TokenUrlPolicy;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where webhooks may point and where a token-exchange webhook's secret may be sent: one setting that
 * webhook-config-service checks when a webhook is saved and webhook-dispatcher checks again before each request, so the
 * two can never disagree. The dispatcher also takes its former names, {@code keyhook.dispatcher.delivery.allow-http},
 * {@code allowed-cidrs} and {@code token-url-hosts} (its application.properties).
 */
@ConfigMapping(prefix = "keyhook.webhooks.destinations")
public interface DestinationsConfig {

    /** Plain http allowed (local development only). */
    @WithDefault("false")
    boolean allowHttp();

    /** Address ranges allowed even though they are not public, e.g. 127.0.0.0/8 for a local receiver. */
    Optional<List<String>> allowedCidrs();

    /**
     * Hosts any token-exchange webhook's {@code tokenUrl} may use besides the destination's own site (a shared identity
     * provider).
     */
    Optional<List<String>> tokenUrlHosts();

    /** The rule for destinations, resolving host names with {@code resolver}. */
    default DestinationPolicy policy(DestinationPolicy.Resolver resolver) {
        List<Cidr> allowed = allowedCidrs().orElse(List.of()).stream().map(String::trim).filter(s -> !s.isEmpty())
                .map(Cidr::parse).toList();
        return new DestinationPolicy(allowHttp(), allowed, resolver);
    }

    /** The rule for token-exchange token URLs. */
    default TokenUrlPolicy tokenUrlPolicy() {
        return new TokenUrlPolicy(Set.copyOf(tokenUrlHosts().orElse(List.of())));
    }
}
