package io.keyhook.dispatcher.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.config.DestinationsConfig;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.IpLiterals;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.mutiny.core.Vertx;

/**
 * POSTs to third parties (webhook receivers and their token endpoints) with the Vert.x HTTP client: keep-alive pools,
 * no redirects, a total deadline, the answer read up to a byte cap ({@link BoundedExchange}). The destination is
 * resolved and checked again right before connecting, and the connection goes to the checked address (DNS rebinding
 * gains nothing).
 */
@ApplicationScoped
public class ReceiverHttp {

    private final DispatcherConfig config;
    private final io.vertx.core.Vertx vertx;
    private final HttpClient client;
    private final DestinationPolicy policy;

    ReceiverHttp(DispatcherConfig config, DestinationsConfig destinations, Vertx vertx) {
        this.config = config;
        this.vertx = vertx.getDelegate();
        var d = config.delivery();
        // the core client, not the web client: the answer is streamed and cut at a byte cap, never buffered whole
        client = this.vertx.createHttpClient(
                // receivers are third parties: our trace context stays inside
                new HttpClientOptions().setKeepAlive(true).setTracingPolicy(TracingPolicy.IGNORE)
                        .setConnectTimeout((int) Math.min(10_000, d.timeout().toMillis())).setIdleTimeout(60)
                        .setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(d.maxConnectionsPerHost()));
        policy = destinations.policy(DestinationPolicy.SYSTEM);
    }

    /**
     * POSTs {@code body} to {@code url} (checked first), within what is left of the attempt's total deadline, counted
     * from {@code startedNanos}; emits the answer, or fails as {@link BoundedExchange#post} does.
     */
    public Uni<BoundedExchange.Answer> post(String url, Map<String, String> headers, Buffer body, int maxBytes,
            boolean refuseLonger, long startedNanos) {
        return post(url, headers, body, maxBytes, refuseLonger, startedNanos, config.delivery().timeout());
    }

    /** As {@link #post(String, Map, Buffer, int, boolean, long)}, with a total deadline of its own (issue 31). */
    public Uni<BoundedExchange.Answer> post(String url, Map<String, String> headers, Buffer body, int maxBytes,
            boolean refuseLonger, long startedNanos, Duration timeout) {
        return checkedAddress(url).chain(address -> BoundedExchange.post(vertx, client, options(url, address, timeout),
                headers, body, maxBytes, refuseLonger, remaining(startedNanos, timeout)));
    }

    /** What is left of the attempt's total deadline (at least a millisecond). */
    private static Duration remaining(long t0, Duration timeout) {
        long left = timeout.toNanos() - (System.nanoTime() - t0);
        return Duration.ofNanos(Math.max(1_000_000, left));
    }

    /** Connects to the checked address while TLS and the Host header still name the host. */
    private static RequestOptions options(String url, InetAddress address, Duration timeout) {
        URI uri = URI.create(url);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(port).setSsl(tls)
                .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress())).setFollowRedirects(false)
                .setTimeout(timeout.toMillis());
    }

    /** Resolves and checks the destination right before connecting; emits the address to connect to. */
    private Uni<InetAddress> checkedAddress(String url) {
        URI syntax = policy.checkSyntax(url);
        InetAddress literal = IpLiterals.parse(syntax.getHost());
        if (literal != null) {
            policy.checkAddress(literal);
            return Uni.createFrom().item(literal);
        }
        // name resolution blocks: off the event loop
        return Uni.createFrom().item(() -> {
            URI checked = policy.check(url);
            InetAddress address = resolve(checked.getHost());
            policy.checkAddress(address);
            return address;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getAllByName(host)[0];
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the host " + host + " does not resolve");
        }
    }
}
