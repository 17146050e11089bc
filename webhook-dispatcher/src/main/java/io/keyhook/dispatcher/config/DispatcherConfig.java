package io.keyhook.dispatcher.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything webhook-dispatcher can be told (grows with issue 5). */
@ConfigMapping(prefix = "keyhook.dispatcher")
public interface DispatcherConfig {

    Kafka kafka();

    Delivery delivery();

    Services services();

    Replay replay();

    Recover recover();

    Trail trail();

    /** What one recover request may send now (issue 31). */
    interface Recover {

        /**
         * Most deliveries one {@code POST .../recover} makes due; more since then is refused (422
         * {@code recover_too_large}, with the count and where to end a first recover), nothing changed.
         */
        @WithDefault("10000")
        int maxDeliveries();
    }

    /** Events kept with their ids so that one can be followed (issue 31). */
    interface Trail {

        /**
         * Most dropped or dead-lettered event ids one replica holds between two writes (every
         * {@code dropped-events-flush}); beyond it ids are not kept (counted by
         * {@code keyhook_dispatcher_dropped_ids_discarded_total}), so a flood cannot exhaust memory (at most about 2
         * KiB each: a subject or resource id over 256 characters is not kept). The counts in {@code dropped_events} are
         * kept whatever this is.
         */
        @WithDefault("10000")
        int maxBuffered();
    }

    /** Operational events and auto-disable (issue 31). */
    OperationalConfig operational();

    TestDelivery testDelivery();

    /** {@code POST .../webhooks/{id}/test} (issue 31): one signed {@code keyhook.test} now, at the admin's request. */
    interface TestDelivery {

        /**
         * Most test deliveries one webhook gets per minute from this instance (429 {@code test_rate_limited} beyond),
         * so the endpoint cannot be used to flood a receiver.
         */
        @WithDefault("10")
        int perMinute();
    }

    /** What one replay request may send again. */
    interface Replay {

        /**
         * Most deliveries one {@code POST .../replay} queues again; a range holding more is refused (422
         * {@code replay_too_large}, with the count and where to split it), so one request cannot queue an unbounded
         * backlog in one statement.
         */
        @WithDefault("10000")
        int maxDeliveries();
    }

    /**
     * How often each replica adds its per-Environment counts of dropped events to {@code dropped_events} (what
     * {@code GET /api/v1/environments/{env}/dropped-events} shows): the API lags the events by at most this.
     */
    @WithDefault("5s")
    Duration droppedEventsFlush();

    /** The other Keyhook services the dispatcher tells things to (a receiver that is gone). */
    interface Services {

        /** webhook-config-service's base URL (the REST Client {@code webhooks}). */
        @WithDefault("http://localhost:8083")
        String webhooksUrl();
    }

    /** How deliveries are made. */
    interface Delivery {

        /**
         * Total deadline of one attempt: connecting, sending, the answer's headers and its body. A receiver that has
         * not finished answering by then (one dripping a byte at a time, say) has failed the attempt.
         */
        @WithDefault("15s")
        Duration timeout();

        /**
         * The dispatcher's own bounds of a webhook's tuning (issue 31), defence in depth behind
         * webhook-config-service's {@code keyhook.webhooks.tuning.*}: a published value outside them is clamped to
         * them.
         */
        TuningBounds tuning();

        /** See {@link #tuning()}. */
        interface TuningBounds {

            /** Least per-webhook {@code timeoutMs}. */
            @WithDefault("1s")
            Duration minTimeout();

            /** Most per-webhook {@code timeoutMs}; stored claims last twice the longer of this and the timeout. */
            @WithDefault("30s")
            Duration maxTimeout();

            /** Most per-webhook {@code maxInFlight}. */
            @WithDefault("64")
            int maxInFlight();

            /** Most per-webhook {@code rateLimitPerSecond}. */
            @WithDefault("1000")
            int maxRatePerSecond();
        }

        /** Most bytes of a receiver's token-endpoint answer read (token-exchange); a longer answer is refused. */
        @WithDefault("65536")
        int maxTokenResponseBytes();

        /** Delays before each attempt (0 = at once), ms/s/m/h/d suffixes. */
        @WithDefault("0,5s,5m,30m,2h,5h,10h,10h")
        String retrySchedule();

        /** Random spread of each retry delay, as a fraction of it. */
        @WithDefault("0.2")
        double jitter();

        /** Deliveries in flight to one webhook at once; a slow receiver only ever holds its own. */
        @WithDefault("16")
        int perWebhookConcurrency();

        /**
         * Keep-alive connections to one host and port. Several webhooks may share a receiver host, so this is larger
         * than the per-webhook concurrency.
         */
        @WithDefault("128")
        int maxConnectionsPerHost();

        /**
         * Direct deliveries waiting for a free slot of one webhook; beyond this they are stored and sent by the engine
         * (so a slow receiver cannot fill memory).
         */
        @WithDefault("1000")
        int queuePerWebhook();

        /** Deliveries in memory (in flight, queued, being logged) above which the consumer stops reading. */
        @WithDefault("20000")
        int maxUnresolved();

        /** When a webhook's attempts pause after failing in a row. */
        Breaker breaker();

        /** The per-webhook circuit breaker. */
        interface Breaker {

            /** Failed attempts in a row that open it. */
            @WithDefault("10")
            int failures();

            /** How long it stays open the first time; doubles while the trial after it fails. */
            @WithDefault("30s")
            Duration openFor();

            /** The longest it stays open. */
            @WithDefault("10m")
            Duration maxOpenFor();
        }

        /** How long finished deliveries (and their attempts) stay in the delivery log. */
        @WithDefault("30d")
        Duration logRetention();

        /**
         * How long deliveries that succeeded stay, when shorter than {@code log-retention} (unset: the same). The log
         * is for investigating failures and almost every delivery succeeds at once, so at scale this is what bounds its
         * size (docs/capacity.md): 1 day here and 30 for the rest stores about 30 times less.
         */
        java.util.Optional<Duration> deliveredLogRetention();

        /** {@code per-record}: same-subject events in publish order; {@code none}: no ordering. */
        @WithDefault("per-record")
        String ordering();

        /** Deliveries claimed from the store per round. */
        @WithDefault("200")
        int claimBatch();

        /** How often the engine looks for due deliveries when idle. */
        @WithDefault("100ms")
        Duration pollInterval();

        /**
         * Response bytes read and kept in the delivery log; the rest of a longer answer is not read (the connection is
         * closed). Stored sanitised: invalid UTF-8, NUL and control characters become U+FFFD.
         */
        @WithDefault("4096")
        int maxResponseBytes();

        /** Lifetime of jwt-bearer tokens. */
        @WithDefault("300s")
        Duration jwtLifetime();

        /** How long a paused webhook's events are held before they expire. */
        @WithDefault("72h")
        Duration heldRetention();

        /**
         * Former name of {@code keyhook.webhooks.destinations.allow-http} (common DestinationsConfig), still read:
         * application.properties passes it on. Declared so that setting it stays a known key.
         */
        @Deprecated
        @WithDefault("false")
        boolean allowHttp();

        /**
         * Former name of {@code keyhook.webhooks.destinations.allowed-cidrs}, still read (see {@link #allowHttp()}).
         */
        @Deprecated
        Optional<List<String>> allowedCidrs();

        /**
         * Former name of {@code keyhook.webhooks.destinations.token-url-hosts}, still read (see {@link #allowHttp()}).
         */
        @Deprecated
        Optional<List<String>> tokenUrlHosts();
    }

    /**
     * The event consumer's own tuning. Where Kafka is, how to reach it and the topic names are the suite's
     * {@code keyhook.kafka.*} (common KafkaSettings).
     */
    interface Kafka {

        /** The consumer group the dispatcher instances share. */
        @WithDefault("keyhook-dispatcher")
        String consumerGroup();

        /**
         * Longest the broker holds a fetch while less than 64 KiB is waiting: a few milliseconds of latency for far
         * fewer round trips when events trickle in.
         */
        @WithDefault("5ms")
        Duration fetchMaxWait();

        /** How long the group waits for a silent instance before its partitions go to the others. */
        @WithDefault("10s")
        Duration sessionTimeout();

        /**
         * A stable, unique name per instance (a StatefulSet pod name, say) turns on Kafka static membership: a
         * restarted instance resumes its partitions without a rebalance. Unset: dynamic membership.
         */
        Optional<String> instanceId();

        /** Records larger than this are dead-lettered unread. */
        @WithDefault("1048576")
        int maxRecordBytes();

        /**
         * The event consumer is stalled, and readiness DOWN, when records wait and no offset moved for this long. A
         * healthy consumer commits within seconds (failed deliveries are stored for retry, not waited for).
         */
        @WithDefault("60s")
        Duration stallTimeout();
    }
}
