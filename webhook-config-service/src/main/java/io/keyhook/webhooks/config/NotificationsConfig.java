package io.keyhook.webhooks.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The e-mail notifier and the activity feed (issue 31); defaults documented in webhook-config-service/README.md and
 * docs/operations.md. The SMTP keys are also what {@code quarkus.mailer.*} is set from (application.properties).
 */
@ConfigMapping(prefix = "keyhook.notifications")
public interface NotificationsConfig {

    Smtp smtp();

    /** The console's base URL, for the links in the messages. */
    @WithDefault("http://localhost:8080")
    String consoleUrl();

    /** At most one message per Environment per interval: what arrives meanwhile waits for one digest. */
    @WithDefault("15m")
    Duration minInterval();

    /** How long the first event waits for others before its message goes out (a burst becomes one message). */
    @WithDefault("30s")
    Duration gather();

    /** How often the notifier looks for messages that are due. */
    @WithDefault("10s")
    Duration checkInterval();

    /** After a failed send (SMTP down), how long the Environment's events wait before the next try. */
    @WithDefault("1m")
    Duration retryAfter();

    /** How long an SMTP send may take before it counts as failed (one slow server never holds up a round for long). */
    @WithDefault("30s")
    Duration sendTimeout();

    /** How long operational events stay in the activity feed. */
    @WithDefault("30d")
    Duration activityRetention();

    /** The operator's SMTP server; e-mail is off while {@code host} is unset. */
    interface Smtp {

        Optional<String> host();

        @WithDefault("587")
        int port();

        /** DISABLED, OPTIONAL or REQUIRED. */
        @WithDefault("REQUIRED")
        String startTls();

        Optional<String> username();

        Optional<String> password();

        /** The sender address. */
        @WithDefault("keyhook@localhost")
        String from();
    }

    /** Whether e-mail is on: an SMTP host is set. */
    default boolean mailEnabled() {
        return smtp().host().filter(h -> !h.isBlank()).isPresent();
    }
}
