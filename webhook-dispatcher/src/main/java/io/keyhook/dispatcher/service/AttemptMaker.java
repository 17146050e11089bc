package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.client.BoundedExchange;
import io.keyhook.dispatcher.client.GoneReporter;
import io.keyhook.dispatcher.client.ReceiverHttp;
import io.keyhook.dispatcher.config.DispatcherConfig;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.keyhook.dispatcher.persistence.DeliveryStore.Outcome;
import io.keyhook.dispatcher.view.WebhookView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;

/**
 * Makes one attempt of one delivery and classifies it; stores nothing. Authenticates it per the webhook's security
 * method ({@link ReceiverAuthentication}) and POSTs it ({@link ReceiverHttp}: the destination checked again, a total
 * deadline per attempt, the answer read up to a byte cap); {@link AttemptOutcomes} says what the answer means. Acts on
 * what the receiver asked for: a 401 drops its cached tokens, a 410 pauses the webhook. Both the direct path and the
 * engine (retries, held and spilled deliveries) attempt through here.
 */
@ApplicationScoped
public class AttemptMaker {

    private static final Logger LOG = Logger.getLogger(AttemptMaker.class);

    private final DispatcherConfig config;
    private final WebhookView webhooks;
    private final ReceiverAuthentication authentication;
    private final ReceiverHttp http;
    private final AttemptOutcomes outcomes;
    private final ReceiverTokens receiverTokens;
    private final GoneReporter gone;
    private final DeliveryTracing tracing;
    private final MeterRegistry registry;
    private final WebhookHealth health;
    private final WebhookTuning tuning;
    // meters by outcome, looked up once: every attempt records to them
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();
    private final Map<String, Counter> attempts = new ConcurrentHashMap<>();

    /** An attempt's number, start and outcome. */
    public record Attempt(int number, Instant startedAt, Outcome outcome) {

        public boolean delivered() {
            return DeliveryRow.DELIVERED.equals(outcome.status());
        }
    }

    AttemptMaker(DispatcherConfig config, WebhookView webhooks, ReceiverAuthentication authentication,
            ReceiverHttp http, AttemptOutcomes outcomes, ReceiverTokens receiverTokens, GoneReporter gone,
            DeliveryTracing tracing, MeterRegistry registry, WebhookHealth health, WebhookTuning tuning) {
        this.tuning = tuning;
        this.config = config;
        this.webhooks = webhooks;
        this.authentication = authentication;
        this.http = http;
        this.outcomes = outcomes;
        this.receiverTokens = receiverTokens;
        this.gone = gone;
        this.tracing = tracing;
        this.registry = registry;
        this.health = health;
    }

    /** Attempts {@code d} once; never fails (a failure to send is a failed attempt). */
    public Uni<Attempt> attempt(DeliveryRow d) {
        int number = d.attempts() + 1;
        Instant started = Instant.now();
        WebhookState w = webhooks.webhook(d.webhookId());
        if (w == null) {
            return Uni.createFrom().item(new Attempt(number, started, AttemptOutcomes.webhookDeleted()));
        }
        long t0 = System.nanoTime();
        Span span = tracing.attempt(d, number);
        return Uni.createFrom().deferred(() -> send(w, d)).map(r -> answered(d, number, r, millisSince(t0))).onFailure()
                .recoverWithItem(e -> outcomes.unanswered(number, e, millisSince(t0))).map(o -> {
                    attempts.computeIfAbsent(o.status(),
                            st -> registry.counter("keyhook.dispatcher.attempts", "outcome", st)).increment();
                    latency.computeIfAbsent(o.status(),
                            s -> Timer.builder("keyhook.dispatcher.attempt.latency")
                                    .description("Time from sending an attempt to its outcome").tag("outcome", s)
                                    .publishPercentileHistogram().register(registry))
                            .record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
                    DeliveryTracing.ended(span, o.status(), o.statusCode(), o.error());
                    log(d, number, o, span);
                    health.observe(d.webhookId(), o, started);
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
        return authentication.headers(w, d, now).chain(h -> {
            // the webhook's own static headers first (issue 31; deny-listed names already left out): ours win anyway
            Map<String, String> all = new LinkedHashMap<>(WebhookTuning.headers(w));
            all.put("content-type", "application/json");
            all.put("webhook-id", d.msgId());
            all.put("webhook-timestamp", String.valueOf(now));
            all.putAll(h);
            return http.post(w.url(), all, Buffer.buffer(d.body()), config.delivery().maxResponseBytes(), false, t0,
                    tuning.timeout(w));
        });
    }

    /** Classifies the answer, after acting on what the receiver asked for. */
    private Outcome answered(DeliveryRow d, int attempt, BoundedExchange.Answer r, int latencyMs) {
        if (r.status() == 401) {
            receiverTokens.drop(d.webhookId());
        }
        WebhookState w = r.status() == 410 ? webhooks.webhook(d.webhookId()) : null;
        // an operational webhook is never paused by its own failures, a 410 included (issue 31)
        if (w != null && !w.operational()) {
            gone.report(d.webhookId(), w.url());
        }
        return outcomes.answered(attempt, r, latencyMs);
    }
}
