package io.keyhook.token.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.nimbusds.jose.jwk.JWK;

import io.keyhook.common.config.DestinationsConfig;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.IpLiterals;
import io.keyhook.core.text.SafeText;
import io.keyhook.token.config.TokenConfig;
import io.keyhook.token.view.ClientKeys;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.mutiny.core.Vertx;

/**
 * The keys at a {@code private_key_jwt} client's registered {@code jwksUri}. The URI is a third party's: it is checked
 * with the webhook destinations' rule ({@code keyhook.webhooks.destinations.*}) right before connecting, and the
 * connection goes to the checked address (DNS rebinding gains nothing); no redirect is followed; the answer is cut at
 * {@code max-bytes} and the whole fetch at {@code timeout}. Keys are kept as long as the answer's {@code Cache-Control}
 * allows ({@link CacheControl}). An assertion naming a kid the keys lack may fetch again, but not sooner than
 * {@code min-refetch-interval} after the last fetch of that URI, so made-up kids cannot make us hammer it; fetches of
 * one URI at the same time share one request. A failed fetch gives no keys (fail closed), except that keys still within
 * their cache time stay usable.
 */
@ApplicationScoped
public class JwksFetcher {

    private static final Logger LOG = Logger.getLogger(JwksFetcher.class);

    /**
     * What is known of one URI: its keys (usable until {@code usableUntil}), when it was last fetched, and whether that
     * fetch failed.
     */
    private record Entry(List<JWK> keys, long usableUntil, long fetchedAt, boolean failed) {
        boolean fresh(long now) {
            return now - usableUntil < 0;
        }
    }

    private final TokenConfig.JwksUri config;
    private final io.vertx.core.Vertx vertx;
    private final HttpClient client;
    private final DestinationPolicy policy;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, Uni<List<JWK>>> inFlight = new ConcurrentHashMap<>();
    private final Counter fetches;
    private final Counter failures;

    JwksFetcher(TokenConfig config, DestinationsConfig destinations, Vertx vertx, MeterRegistry registry) {
        this.config = config.privateKeyJwt().jwksUri();
        this.vertx = vertx.getDelegate();
        int timeout = (int) Math.min(Integer.MAX_VALUE, this.config.timeout().toMillis());
        client = this.vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(false).setTracingPolicy(TracingPolicy.IGNORE)
                        .setConnectTimeout(timeout).setIdleTimeout(10).setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(4));
        policy = destinations.policy(DestinationPolicy.SYSTEM);
        fetches = registry.counter("keyhook.token.jwks.fetches");
        failures = registry.counter("keyhook.token.jwks.fetch.failures");
    }

    /** The keys at {@code uri}: the cached ones while the cache allows, else fetched. */
    public Uni<List<JWK>> keys(String uri) {
        long now = System.nanoTime();
        Entry e = cache.get(uri);
        if (e != null && e.fresh(now)) {
            return Uni.createFrom().item(e.keys());
        }
        if (e != null && e.failed() && now - e.fetchedAt() < config.minRefetchInterval().toNanos()) {
            // a URI that just failed (refused, too slow, too large) is not tried again at once: each try may cost
            // the whole deadline
            return Uni.createFrom().item(List.of());
        }
        return fetch(uri);
    }

    /**
     * The keys after an assertion named a kid the cached ones lack: fetched again unless the URI was fetched less than
     * {@code min-refetch-interval} ago; then the cached keys, if still fresh.
     */
    public Uni<List<JWK>> keysAfterUnknownKid(String uri) {
        long now = System.nanoTime();
        Entry e = cache.get(uri);
        if (e != null && now - e.fetchedAt() < config.minRefetchInterval().toNanos()) {
            return Uni.createFrom().item(e.fresh(now) ? e.keys() : List.of());
        }
        return fetch(uri);
    }

    private Uni<List<JWK>> fetch(String uri) {
        return inFlight.computeIfAbsent(uri, u -> {
            fetches.increment();
            return download(u).map(answer -> store(u, answer)).onFailure().recoverWithItem(e -> failed(u, e))
                    .onTermination().invoke(() -> inFlight.remove(u)).memoize().indefinitely();
        });
    }

    private List<JWK> store(String uri, BoundedGet.Answer answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException("answered " + answer.status());
        }
        List<JWK> keys = ClientKeys.of(new String(answer.body(), StandardCharsets.UTF_8), uri);
        long now = System.nanoTime();
        Duration keep = CacheControl.keepFor(answer.cacheControl(), config.defaultCacheTime(), config.maxCacheTime());
        put(uri, new Entry(keys, now + keep.toNanos(), now, false));
        return keys;
    }

    private List<JWK> failed(String uri, Throwable e) {
        failures.increment();
        LOG.debugf("Fetching the JWKS at %s failed: %s", SafeText.sanitize(uri, 200), e.toString());
        long now = System.nanoTime();
        Entry old = cache.get(uri);
        // keys within their cache time stay usable; the failed attempt still counts for the refetch interval
        List<JWK> keep = old != null && old.fresh(now) ? old.keys() : List.of();
        put(uri, new Entry(keep, old != null && old.fresh(now) ? old.usableUntil() : now, now, true));
        return keep;
    }

    private void put(String uri, Entry entry) {
        if (cache.size() >= config.maxCachedUris() && !cache.containsKey(uri)) {
            cache.entrySet().stream().min((a, b) -> Long.compare(a.getValue().fetchedAt(), b.getValue().fetchedAt()))
                    .ifPresent(oldest -> cache.remove(oldest.getKey()));
        }
        cache.put(uri, entry);
    }

    private Uni<BoundedGet.Answer> download(String uri) {
        return checkedAddress(uri).chain(
                address -> BoundedGet.get(vertx, client, options(uri, address), config.maxBytes(), config.timeout()));
    }

    /** Connects to the checked address while TLS and the Host header still name the host. */
    private RequestOptions options(String url, InetAddress address) {
        URI uri = URI.create(url);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost()).setPort(port).setSsl(tls)
                .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress())).setFollowRedirects(false)
                .setTimeout(config.timeout().toMillis());
    }

    /** Resolves and checks the URI right before connecting; emits the address to connect to. */
    private Uni<InetAddress> checkedAddress(String url) {
        return Uni.createFrom().deferred(() -> {
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
        });
    }

    private static InetAddress resolve(String host) {
        try {
            return InetAddress.getAllByName(host)[0];
        } catch (UnknownHostException e) {
            throw new IllegalStateException("the host does not resolve");
        }
    }
}
