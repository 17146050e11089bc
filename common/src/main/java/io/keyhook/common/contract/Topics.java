package io.keyhook.common.contract;

import java.util.function.Function;

/**
 * The suite's topics and what each carries (the names are configurable: {@code keyhook.kafka.*-topic}; how each is
 * created is {@code kafka.SuiteTopics}). The data-change topic is read by one consumer with its own checks
 * ({@link DataChangeEvent}); its dead letters carry {@link DeadLetterHeaders}.
 */
public final class Topics {

    /** {@code keyhook.credentials}: compacted, key = client id. */
    public static final TopicContract<String, ClientStateRecord> CREDENTIALS = TopicContract
            .keyedBy(ClientStateRecord.class, ClientStateRecord::clientId);

    /** {@code keyhook.environments}: compacted, key = Environment id. */
    public static final TopicContract<String, EnvironmentStateRecord> ENVIRONMENTS = TopicContract
            .keyedBy(EnvironmentStateRecord.class, EnvironmentStateRecord::id);

    /** {@code keyhook.webhooks}: compacted, key = webhook id. */
    public static final TopicContract<String, WebhookState> WEBHOOKS = TopicContract.keyedBy(WebhookState.class,
            WebhookState::id);

    /**
     * {@code keyhook.token-revocations}: kept a day, key = secret id or signing key id by kind (see
     * {@link RevocationRecord}); not checked against the value.
     */
    public static final TopicContract<String, RevocationRecord> TOKEN_REVOCATIONS = new TopicContract<>(
            RevocationRecord.class, Function.identity(), null);

    /**
     * {@code keyhook.operational-events} (issue 31): delete-policy, kept a week, key = Environment id; any service may
     * publish (each through its own outbox); the dispatcher delivers them to each Environment's operational webhook.
     */
    public static final TopicContract<String, OperationalEvent> OPERATIONAL_EVENTS = TopicContract
            .keyedBy(OperationalEvent.class, OperationalEvent::environment);

    private Topics() {
    }
}
