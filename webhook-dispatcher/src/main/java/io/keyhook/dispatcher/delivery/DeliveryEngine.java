package io.keyhook.dispatcher.delivery;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.concurrent.BackgroundLoop;
import io.keyhook.common.net.Cidr;
import io.keyhook.common.net.DestinationPolicy;
import io.keyhook.common.net.IpLiterals;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore;
import io.keyhook.dispatcher.scheduling.RetrySchedule;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookState;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Makes the attempts. Claims due deliveries from the store (oldest first, never a later event of a record while an
 * earlier one is open, never for a webhook already at its concurrency limit), signs them per the webhook's security
 * method and POSTs them with the Vert.x web client: keep-alive pools, no redirects, a timeout. The destination is
 * resolved and checked again right before connecting, and the connection goes to the checked address (DNS rebinding
 * gains nothing). Outcomes go back to the store: delivered, retry on the schedule (Retry-After honoured), or failed.
 */
@ApplicationScoped
public class DeliveryEngine {

    private static final Logger LOG = Logger.getLogger(DeliveryEngine.class);

    @Inject
    DispatcherConfig config;

    @Inject
    DeliveryStore store;

    @Inject
    WebhookView webhooks;

    @Inject
    SigningSecrets secrets;

    @Inject
    Vertx vertx;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Inject
    GoneReporter gone;

    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, CachedToken> receiverTokens = new ConcurrentHashMap<>();
    private WebClient client;
    private RetrySchedule schedule;
    private DestinationPolicy policy;
    private BackgroundLoop loop;

    private record CachedToken(String token, Instant renewAt) {
    }

    void start(@Observes StartupEvent event) {
        var d = config.delivery();
        client = WebClient.create(vertx,
                new WebClientOptions().setFollowRedirects(false).setKeepAlive(true)
                        .setMaxPoolSize(d.maxConnectionsPerHost())
                        .setConnectTimeout((int) Math.min(10_000, d.timeout().toMillis())).setIdleTimeout(60)
                        .setVerifyHost(true));
        schedule = new RetrySchedule(RetrySchedule.parse(d.retrySchedule()), d.jitter());
        policy = new DestinationPolicy(d.allowHttp(), d.allowedCidrs().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).map(Cidr::parse).toList(), DestinationPolicy.SYSTEM);
        loop = BackgroundLoop.start("keyhook-delivery-engine", Duration.ofMillis(500), d.pollInterval(), this::round);
    }

    void stop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.close();
        }
    }

    void round() {
        try {
            // keep claiming while there is work and free slots; pause only when a round finds nothing to start
            for (int i = 0; i < 20; i++) {
                if (claimAndStart() == 0) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("Delivery round failed: %s", e.toString());
        }
    }

    private int claimAndStart() {
        List<String> saturated = new ArrayList<>();
        inFlight.forEach((w, n) -> {
            if (n.get() >= config.delivery().perWebhookConcurrency()) {
                saturated.add(w);
            }
        });
        List<DeliveryRow> due = store
                .claim(config.delivery().claimBatch(), saturated, config.delivery().timeout().multipliedBy(2)).await()
                .atMost(Duration.ofSeconds(30));
        for (DeliveryRow d : due) {
            inFlight.computeIfAbsent(d.webhookId(), k -> new AtomicInteger()).incrementAndGet();
            attempt(d).subscribe().with(ok -> done(d), e -> {
                LOG.warnf("Recording the attempt of %s failed: %s", d.id(), e.toString());
                done(d);
            });
        }
        return due.size();
    }

    private void done(DeliveryRow d) {
        inFlight.computeIfPresent(d.webhookId(), (k, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    private Uni<Void> attempt(DeliveryRow d) {
        int attempt = d.attempts() + 1;
        Instant started = Instant.now();
        WebhookState w = webhooks.webhook(d.webhookId());
        if (w == null) {
            return store.recordAttempt(d, attempt, started,
                    new DeliveryStore.Outcome(DeliveryRow.FAILED, null, null, "webhook deleted", null, 0));
        }
        long t0 = System.nanoTime();
        return send(w, d).map(r -> outcome(d, attempt, r, (int) ((System.nanoTime() - t0) / 1_000_000))).onFailure()
                .recoverWithItem(e -> retryOrFail(d, attempt, null, errorOf(e), null, null,
                        (int) ((System.nanoTime() - t0) / 1_000_000)))
                .invoke(o -> registry.counter("keyhook.dispatcher.attempts", "outcome", o.status()).increment())
                .chain(o -> store.recordAttempt(d, attempt, started, o));
    }

    private Uni<HttpResponse<Buffer>> send(WebhookState w, DeliveryRow d) {
        long now = Instant.now().getEpochSecond();
        return headers(w, d, now).chain(h -> checkedAddress(w.url()).chain(address -> {
            URI uri = URI.create(w.url());
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                    .setPort(port).setSsl(tls)
                    .setURI(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/"
                            : uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setFollowRedirects(false).setTimeout(config.delivery().timeout().toMillis());
            var request = client.request(HttpMethod.POST, options);
            request.putHeader("content-type", "application/json");
            request.putHeader("webhook-id", d.msgId());
            request.putHeader("webhook-timestamp", String.valueOf(now));
            h.forEach(request::putHeader);
            return request.sendBuffer(Buffer.buffer(d.body()));
        }));
    }

    /** Resolves and checks the destination right before connecting; emits the address to connect to. */
    private Uni<InetAddress> checkedAddress(String url) {
        return Uni.createFrom().item(() -> {
            URI uri = policy.check(url);
            InetAddress literal = IpLiterals.parse(uri.getHost());
            InetAddress address = literal != null ? literal : resolveChecked(uri.getHost());
            policy.checkAddress(address);
            return address;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private InetAddress resolveChecked(String host) {
        try {
            return InetAddress.getAllByName(host)[0];
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("the host " + host + " does not resolve");
        }
    }

    private Uni<java.util.Map<String, String>> headers(WebhookState w, DeliveryRow d, long now) {
        List<String> ids = w.security() == null ? List.of() : w.security().secretIds();
        List<String> usable = ids.stream().filter(id -> secrets.entry(id) != null && secrets.entry(id).usable())
                .toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no usable signing secret"));
        }
        String method = w.security().method();
        if ("standard-webhooks".equals(method)) {
            return Uni.join().all(usable.stream().map(secrets::value).toList()).andFailFast()
                    .map(values -> java.util.Map.of("webhook-signature",
                            StandardWebhooksSignature.header(values, d.msgId(), now, d.body())));
        }
        String secretId = usable.get(0);
        String clientId = secrets.entry(secretId).clientId();
        if ("jwt-bearer".equals(method)) {
            return secrets.value(secretId)
                    .map(v -> java.util.Map.of("authorization", "Bearer " + JwtBearerToken.create(v, clientId, w.url(),
                            d.msgId(), now, config.delivery().jwtLifetime().toSeconds(), d.body())));
        }
        return secrets.value(secretId).chain(v -> receiverToken(w, clientId, v))
                .map(t -> java.util.Map.of("authorization", "Bearer " + t));
    }

    /** token-exchange: client_credentials at the receiver's token endpoint, cached until shortly before expiry. */
    private Uni<String> receiverToken(WebhookState w, String clientId, String secret) {
        String cacheKey = w.id() + "/" + clientId;
        CachedToken cached = receiverTokens.get(cacheKey);
        if (cached != null && Instant.now().isBefore(cached.renewAt())) {
            return Uni.createFrom().item(cached.token());
        }
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((form(clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
        return checkedAddress(w.security().tokenUrl()).chain(address -> {
            URI uri = URI.create(w.security().tokenUrl());
            boolean tls = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
                    .setPort(port).setSsl(tls).setURI(uri.getRawPath())
                    .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                    .setFollowRedirects(false).setTimeout(config.delivery().timeout().toMillis());
            return client.request(HttpMethod.POST, options).putHeader("authorization", basic)
                    .putHeader("content-type", "application/x-www-form-urlencoded")
                    .sendBuffer(Buffer.buffer("grant_type=client_credentials"));
        }).map(r -> {
            if (r.statusCode() != 200) {
                throw new IllegalStateException("the receiver's token endpoint answered " + r.statusCode());
            }
            try {
                JsonNode body = json.readTree(r.bodyAsString());
                String token = body.path("access_token").asText();
                long expiresIn = body.path("expires_in").asLong(60);
                receiverTokens.put(cacheKey,
                        new CachedToken(token, Instant.now().plusSeconds(Math.max(1, expiresIn - 30))));
                return token;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("the receiver's token endpoint sent no token");
            }
        });
    }

    private DeliveryStore.Outcome outcome(DeliveryRow d, int attempt, HttpResponse<Buffer> r, int latencyMs) {
        int status = r.statusCode();
        String body = r.bodyAsString();
        String excerpt = body == null ? null : body.length() > config.delivery().maxResponseBytes()
                ? body.substring(0, config.delivery().maxResponseBytes()) : body;
        if (status / 100 == 2) {
            return new DeliveryStore.Outcome(DeliveryRow.DELIVERED, null, status, null, excerpt, latencyMs);
        }
        if (status == 401) {
            receiverTokens.keySet().removeIf(k -> k.startsWith(d.webhookId() + "/"));
        }
        if (status == 410) {
            WebhookState w = webhooks.webhook(d.webhookId());
            gone.report(d.webhookId(), w == null ? "?" : w.url());
            return new DeliveryStore.Outcome(DeliveryRow.FAILED, null, status, "gone: the receiver asked to stop",
                    excerpt, latencyMs);
        }
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(r.getHeader("retry-after")) : null;
        return retryOrFail(d, attempt, status, "HTTP " + status, excerpt, retryAfter, latencyMs);
    }

    private DeliveryStore.Outcome retryOrFail(DeliveryRow d, int attempt, Integer status, String error, String excerpt,
            Duration retryAfter, int latencyMs) {
        Instant next = schedule.next(attempt, Instant.now(), retryAfter);
        return new DeliveryStore.Outcome(next == null ? DeliveryRow.FAILED : DeliveryRow.PENDING, next, status, error,
                excerpt, latencyMs);
    }

    private static Duration retryAfter(String header) {
        if (header == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.min(86_400, Long.parseLong(header.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String errorOf(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.length() > 500 ? m.substring(0, 500) : m;
    }

    private static String form(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
