package io.keyhook.dispatcher.delivery;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.net.Cidr;
import io.keyhook.core.net.DestinationPolicy;
import io.keyhook.core.net.IpLiterals;
import io.keyhook.core.net.TokenUrlPolicy;
import io.keyhook.core.net.UnsafeDestinationException;
import io.keyhook.core.text.SafeText;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;
import io.keyhook.dispatcher.persistence.SecretUseAudit;
import io.keyhook.dispatcher.scheduling.RetrySchedule;
import io.keyhook.dispatcher.tracing.DeliveryTracing;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
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
 * Makes one attempt of one delivery and classifies it; stores nothing. Signs per the webhook's security method and
 * POSTs with the Vert.x HTTP client: keep-alive pools, no redirects, a total deadline per attempt, the answer read up
 * to a byte cap and stored sanitised. The destination is resolved and checked again right before connecting, and the
 * connection goes to the checked address (DNS rebinding gains nothing). Both the direct path and the engine (retries,
 * held and spilled deliveries) attempt through here.
 */
@ApplicationScoped
public class AttemptMaker {

    private static final Logger LOG = Logger.getLogger(AttemptMaker.class);

    @Inject
    DispatcherConfig config;

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

    @Inject
    DeliveryTracing tracing;

    @Inject
    SecretUseAudit secretUses;

    @Inject
    ReceiverTokens receiverTokens;

    private HttpClient client;
    private RetrySchedule schedule;
    private DestinationPolicy policy;
    private TokenUrlPolicy tokenUrls;
    // meters by outcome, looked up once: every attempt records to them
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();

    /** An attempt's number, start and outcome. */
    public record Attempt(int number, Instant startedAt, Outcome outcome) {

        public boolean delivered() {
            return DeliveryRow.DELIVERED.equals(outcome.status());
        }
    }

    @PostConstruct
    void init() {
        var d = config.delivery();
        // the core client, not the web client: the answer is streamed and cut at a byte cap, never buffered whole
        client = vertx.getDelegate().createHttpClient(
                // receivers are third parties: our trace context stays inside
                new HttpClientOptions().setKeepAlive(true).setTracingPolicy(TracingPolicy.IGNORE)
                        .setConnectTimeout((int) Math.min(10_000, d.timeout().toMillis())).setIdleTimeout(60)
                        .setVerifyHost(true),
                new PoolOptions().setHttp1MaxSize(d.maxConnectionsPerHost()));
        schedule = new RetrySchedule(RetrySchedule.parse(d.retrySchedule()), d.jitter());
        tokenUrls = new TokenUrlPolicy(Set.copyOf(d.tokenUrlHosts().orElse(List.of())));
        policy = new DestinationPolicy(d.allowHttp(), d.allowedCidrs().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).map(Cidr::parse).toList(), DestinationPolicy.SYSTEM);
    }

    /** Attempts {@code d} once; never fails (a failure to send is a failed attempt). */
    public Uni<Attempt> attempt(DeliveryRow d) {
        int number = d.attempts() + 1;
        Instant started = Instant.now();
        WebhookState w = webhooks.webhook(d.webhookId());
        if (w == null) {
            return Uni.createFrom().item(new Attempt(number, started,
                    new Outcome(DeliveryRow.FAILED, null, null, "webhook deleted", null, 0)));
        }
        long t0 = System.nanoTime();
        Span span = tracing.attempt(d, number);
        return Uni.createFrom().deferred(() -> send(w, d)).map(r -> outcome(d, number, r, millisSince(t0))).onFailure()
                .recoverWithItem(e -> retryOrFail(number, null, errorOf(e), null, null, millisSince(t0))).map(o -> {
                    attempts.computeIfAbsent(o.status(),
                            st -> registry.counter("keyhook.dispatcher.attempts", "outcome", st)).increment();
                    latency.computeIfAbsent(o.status(),
                            s -> Timer.builder("keyhook.dispatcher.attempt.latency")
                                    .description("Time from sending an attempt to its outcome").tag("outcome", s)
                                    .publishPercentileHistogram().register(registry))
                            .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    DeliveryTracing.ended(span, o.status(), o.statusCode(), o.error());
                    log(d, number, o, span);
                    return new Attempt(number, started, o);
                });
    }

    /**
     * Final failures at WARN, every other attempt at DEBUG; under the attempt's span, so the lines carry its trace id.
     */
    private static void log(DeliveryRow d, int number, Outcome o, Span span) {
        boolean failed = DeliveryRow.FAILED.equals(o.status());
        if (!failed && !LOG.isDebugEnabled()) {
            return;
        }
        Scope scope = span.makeCurrent();
        try {
            String what = o.statusCode() != null ? "HTTP " + o.statusCode() : String.valueOf(o.error());
            if (failed) {
                LOG.warnf("Delivery %s of event %s to webhook %s failed for good after %d attempts (%s)", d.id(),
                        d.eventId(), d.webhookId(), number, what);
            } else {
                LOG.debugf("Attempt %d of delivery %s to webhook %s: %s (%s)", number, d.id(), d.webhookId(),
                        o.status(), what);
            }
        } finally {
            scope.close();
        }
    }

    private static int millisSince(long t0) {
        return (int) ((System.nanoTime() - t0) / 1_000_000);
    }

    private Uni<BoundedExchange.Answer> send(WebhookState w, DeliveryRow d) {
        long now = Instant.now().getEpochSecond();
        // the deadline covers everything from here: signing, resolving, connecting, sending, the whole answer
        long t0 = System.nanoTime();
        return headers(w, d, now).chain(h -> checkedAddress(w.url()).chain(address -> {
            Map<String, String> all = new LinkedHashMap<>();
            all.put("content-type", "application/json");
            all.put("webhook-id", d.msgId());
            all.put("webhook-timestamp", String.valueOf(now));
            all.putAll(h);
            return BoundedExchange.post(vertx.getDelegate(), client, options(w.url(), address), all,
                    Buffer.buffer(d.body()), config.delivery().maxResponseBytes(), false, remaining(t0));
        }));
    }

    /** What is left of the attempt's total deadline (at least a millisecond). */
    private Duration remaining(long t0) {
        long left = config.delivery().timeout().toNanos() - (System.nanoTime() - t0);
        return Duration.ofNanos(Math.max(1_000_000, left));
    }

    /** Connects to the checked address while TLS and the Host header still name the host. */
    private RequestOptions options(String url, InetAddress address) {
        URI uri = URI.create(url);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(port).setSsl(tls)
                .setURI(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery())
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress())).setFollowRedirects(false)
                .setTimeout(config.delivery().timeout().toMillis());
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

    private Uni<Map<String, String>> headers(WebhookState w, DeliveryRow d, long now) {
        List<String> ids = w.security() == null ? List.of() : w.security().secretIds();
        List<String> usable = ids.stream().filter(id -> secrets.entry(id) != null && secrets.entry(id).usable())
                .toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().failure(new IllegalStateException("no usable signing secret"));
        }
        String method = w.security().method();
        if ("standard-webhooks".equals(method)) {
            return Uni.join().all(usable.stream().map(secrets::value).toList()).andFailFast().map(values -> Map
                    .of("webhook-signature", StandardWebhooksSignature.header(values, d.msgId(), now, d.body())));
        }
        String secretId = usable.get(0);
        String clientId = secrets.entry(secretId).clientId();
        if ("jwt-bearer".equals(method)) {
            return secrets.value(secretId).map(v -> Map.of("authorization", "Bearer " + JwtBearerToken.create(v,
                    clientId, w.url(), d.msgId(), now, config.delivery().jwtLifetime().toSeconds(), d.body())));
        }
        return secrets.value(secretId).chain(v -> receiverToken(w, clientId, secretId, v))
                .map(t -> Map.of("authorization", "Bearer " + t));
    }

    /** token-exchange: client_credentials at the receiver's token endpoint, cached until shortly before expiry. */
    private Uni<String> receiverToken(WebhookState w, String clientId, String secretId, String secret) {
        return receiverTokens.token(w, clientId, () -> fetchToken(w, clientId, secretId, secret));
    }

    private Uni<ReceiverTokens.Issued> fetchToken(WebhookState w, String clientId, String secretId, String secret) {
        String tokenUrl = w.security().tokenUrl();
        String tokenHost = URI.create(tokenUrl).getHost();
        String which = "secret " + secretId + " of client " + clientId;
        try {
            // the secret goes only to the receiver's own site, even if a webhook record says otherwise
            tokenUrls.check(w.url(), tokenUrl);
        } catch (UnsafeDestinationException e) {
            secretUses.record(w.environment(), w.id(), "secret.withheld", tokenHost, "refused:" + e.code(), which);
            return Uni.createFrom()
                    .failure(new IllegalStateException("the token URL is not the receiver's: " + e.code()));
        }
        secretUses.record(w.environment(), w.id(), "secret.sent", tokenHost, "success", which);
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((form(clientId) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        return checkedAddress(tokenUrl)
                .chain(address -> BoundedExchange.post(vertx.getDelegate(), client, options(tokenUrl, address),
                        Map.of("authorization", basic, "content-type", "application/x-www-form-urlencoded"),
                        Buffer.buffer("grant_type=client_credentials"), config.delivery().maxTokenResponseBytes(), true,
                        remaining(t0)))
                .map(r -> {
                    if (r.status() != 200) {
                        throw new IllegalStateException("the receiver's token endpoint answered " + r.status());
                    }
                    try {
                        JsonNode body = json.readTree(r.body(), 0, r.length());
                        return new ReceiverTokens.Issued(body.path("access_token").asText(),
                                body.path("expires_in").asLong(60));
                    } catch (IOException | RuntimeException e) {
                        throw new IllegalStateException("the receiver's token endpoint sent no token");
                    }
                });
    }

    private Outcome outcome(DeliveryRow d, int attempt, BoundedExchange.Answer r, int latencyMs) {
        int status = r.status();
        // stored sanitised: a receiver's NUL bytes or broken UTF-8 must not fail the statement that logs them
        String excerpt = r.length() == 0 ? null
                : SafeText.decode(r.body(), r.length(), config.delivery().maxResponseBytes());
        if (status / 100 == 2) {
            return new Outcome(DeliveryRow.DELIVERED, null, status, null, excerpt, latencyMs);
        }
        if (status == 401) {
            receiverTokens.drop(d.webhookId());
        }
        if (status == 410) {
            WebhookState w = webhooks.webhook(d.webhookId());
            gone.report(d.webhookId(), w == null ? "?" : w.url());
            return new Outcome(DeliveryRow.FAILED, null, status, "gone: the receiver asked to stop", excerpt,
                    latencyMs);
        }
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(r.retryAfter()) : null;
        return retryOrFail(attempt, status, "HTTP " + status, excerpt, retryAfter, latencyMs);
    }

    private Outcome retryOrFail(int attempt, Integer status, String error, String excerpt, Duration retryAfter,
            int latencyMs) {
        Instant next = schedule.next(attempt, Instant.now(), retryAfter);
        return new Outcome(next == null ? DeliveryRow.FAILED : DeliveryRow.PENDING, next, status, error, excerpt,
                latencyMs);
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
        return SafeText.sanitize(m, 500);
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
