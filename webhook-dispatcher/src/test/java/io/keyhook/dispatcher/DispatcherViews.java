package io.keyhook.dispatcher;

import java.time.Duration;

import org.awaitility.Awaitility;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.messaging.EventConsumer;
import io.keyhook.dispatcher.view.EnvironmentView;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookView;
import io.quarkus.arc.Arc;

/**
 * Waits until the running dispatcher's views hold what a test just published (for the static helpers of
 * {@code @QuarkusTest} classes): the condition itself, not a fixed pause that is too short on a busy machine and too
 * long on an idle one.
 */
public final class DispatcherViews {

    private static final Duration AT_MOST = Duration.ofSeconds(20);

    private DispatcherViews() {
    }

    /**
     * Until the event consumer's group has joined and it reads a partition: a test's wait for a delivery then measures
     * the delivery, not the first group join (seconds on a fresh broker that is creating its offsets topic on a busy
     * machine).
     */
    public static void awaitEventConsumer() {
        EventConsumer consumer = Arc.container().instance(EventConsumer.class).get();
        Awaitility.await("the event consumer reads a partition").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20)).until(() -> consumer.partitionsAssigned() > 0);
    }

    /** Until the webhooks view holds {@code webhookId} at {@code version} or later. */
    public static WebhookState awaitWebhook(String webhookId, long version) {
        WebhookView view = Arc.container().instance(WebhookView.class).get();
        Awaitility.await("webhook " + webhookId + " v" + version).atMost(AT_MOST).pollInterval(Duration.ofMillis(20))
                .until(() -> view.webhook(webhookId) != null && view.webhook(webhookId).version() >= version);
        return view.webhook(webhookId);
    }

    /** Until the signing secrets view holds {@code secretId}. */
    public static void awaitSecret(String secretId) {
        SigningSecrets secrets = Arc.container().instance(SigningSecrets.class).get();
        Awaitility.await("secret " + secretId).atMost(AT_MOST).pollInterval(Duration.ofMillis(20))
                .until(() -> secrets.entry(secretId) != null);
    }

    /** Until the Environments view holds {@code environmentId}. */
    public static void awaitEnvironment(String environmentId) {
        EnvironmentView view = Arc.container().instance(EnvironmentView.class).get();
        Awaitility.await("Environment " + environmentId).atMost(AT_MOST).pollInterval(Duration.ofMillis(20))
                .until(() -> view.environment(environmentId) != null);
    }

    /** Until both views know a webhook just published with its one signing secret. */
    public static void awaitWebhookAndSecret(String webhookId, long version, String secretId) {
        awaitSecret(secretId);
        awaitWebhook(webhookId, version);
    }
}
