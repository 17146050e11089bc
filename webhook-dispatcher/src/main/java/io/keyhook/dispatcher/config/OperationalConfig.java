package io.keyhook.dispatcher.config;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/**
 * When the dispatcher emits operational events (issue 31, {@code keyhook.dispatcher.operational.*}), and when it pauses
 * a webhook that keeps failing. docs/operational-events.md describes each event.
 */
public interface OperationalConfig {

    /** Failed attempts in a row (no delivered one between) after which a webhook is failing. */
    @WithDefault("10")
    int failingAfterFailures();

    /** Share of failed attempts within {@link #failureWindow()} above which a webhook is failing (0..1). */
    @WithDefault("0.5")
    double failureRate();

    /** The window the failure rate is measured over. */
    @WithDefault("15m")
    Duration failureWindow();

    /** Fewest attempts in the window before its failure rate counts (a single failure is not a 100% rate). */
    @WithDefault("20")
    int failureMinAttempts();

    /**
     * A data webhook failing this long without one delivered attempt is paused (reason {@code failing}) through
     * webhook-config-service. An operational webhook never is.
     */
    @WithDefault("5d")
    Duration autoDisableAfter();

    /** {@code keyhook.held.expiring} is sent when a webhook's oldest held delivery expires within this. */
    @WithDefault("24h")
    Duration heldExpiringWarning();

    /** How often each replica checks auto-disable and held expiry, and refreshes which webhooks are failing. */
    @WithDefault("30s")
    Duration checkEvery();

    /** The consumer group of {@code keyhook.operational-events} (deliveries to operational webhooks). */
    @WithDefault("keyhook-dispatcher-operational")
    String consumerGroup();

    /** A record on {@code keyhook.operational-events} larger than this is logged and skipped. */
    @WithDefault("65536")
    int maxEventBytes();
}
