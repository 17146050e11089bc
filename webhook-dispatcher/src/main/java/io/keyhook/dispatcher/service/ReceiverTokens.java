package io.keyhook.dispatcher.service;

import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.dispatcher.view.WebhookView;
import io.smallrye.mutiny.Uni;

/**
 * Access tokens that token-exchange receivers issued, cached until shortly before they expire. A token is the issuing
 * receiver's alone: the key holds the webhook, the client, the destination URL and the token URL, so a webhook moved to
 * another receiver never sends the first one's token there; and a change of either URL (or a deleted webhook) drops the
 * webhook's tokens at once. Concurrent deliveries needing the same token share one request for it.
 */
@ApplicationScoped
public class ReceiverTokens {

    /** Whose token it is and where it may go. */
    record Key(String webhookId, String clientId, String url, String tokenUrl) {

        static Key of(WebhookState w, String clientId) {
            return new Key(w.id(), clientId, w.url(), w.security().tokenUrl());
        }
    }

    /** What a receiver's token endpoint answered. */
    public record Issued(String token, long expiresInSeconds) {
    }

    private record Cached(String token, Instant renewAt) {
    }

    private final ConcurrentHashMap<Key, Cached> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Uni<String>> requests = new ConcurrentHashMap<>();

    ReceiverTokens(WebhookView webhooks) {
        webhooks.onChanged(this::changed);
    }

    /** The cached token for the webhook as it is now, or the one {@code fetch} obtains (then cached). */
    public Uni<String> token(WebhookState w, String clientId, Supplier<Uni<Issued>> fetch) {
        Key key = Key.of(w, clientId);
        Cached cached = tokens.get(key);
        if (cached != null && Instant.now().isBefore(cached.renewAt())) {
            return Uni.createFrom().item(cached.token());
        }
        return requests.computeIfAbsent(key, k -> fetch.get().map(issued -> {
            // renewed 30 s before it expires, so a delivery in flight never carries an expired token
            tokens.put(k,
                    new Cached(issued.token(), Instant.now().plusSeconds(Math.max(1, issued.expiresInSeconds() - 30))));
            return issued.token();
        }).eventually(() -> {
            // a block: remove() returns the memoized Uni, which eventually() would otherwise wait for
            requests.remove(k);
        }).memoize().indefinitely());
    }

    /** The receiver refused a token (401): the webhook's tokens are fetched again. */
    public void drop(String webhookId) {
        tokens.keySet().removeIf(k -> k.webhookId().equals(webhookId));
    }

    /** How many tokens are cached for the webhook (for tests and metrics). */
    public int cached(String webhookId) {
        return (int) tokens.keySet().stream().filter(k -> k.webhookId().equals(webhookId)).count();
    }

    private void changed(WebhookState before, WebhookState now) {
        if (now == null || !Objects.equals(before.url(), now.url())
                || !Objects.equals(tokenUrl(before), tokenUrl(now))) {
            drop(before.id());
        }
    }

    private static String tokenUrl(WebhookState w) {
        return w.security() == null ? null : w.security().tokenUrl();
    }
}
