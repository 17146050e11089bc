package io.keyhook.dispatcher.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.core.error.ProblemException;
import io.keyhook.core.id.SecurityMethods;
import io.keyhook.dispatcher.persistence.GapEntries;
import io.keyhook.dispatcher.view.OwnSigningKeys;
import io.keyhook.dispatcher.view.SigningSecrets;
import io.keyhook.dispatcher.view.WebhookView;
import io.smallrye.mutiny.Uni;

/**
 * One page of a webhook's gap manifest, signed as a delivery to that webhook is, so its receiver can trust it with the
 * verification it already has: {@code webhook-id} (a hash of the page's content: the same page, the same id),
 * {@code webhook-timestamp} and {@code webhook-signature} over exactly the body bytes. A webhook with keys of its own
 * signs with its active keys ({@code v1a} Ed25519, {@code v1} HMAC); every other webhook, whatever its security method
 * (jwt-bearer and token-exchange included), with {@code v1} HMAC-SHA256 of each usable client secret it has, keyed as a
 * Standard Webhooks secret.
 */
@ApplicationScoped
public class GapManifestPages {

    /** One entry: {@code resolvedAt} only with {@code include=resolved}. */
    public record GapItem(String resource, String resourceId, String type, Instant lastEventAt, String lastEventId,
            String reason, String deliveryId, @JsonInclude(JsonInclude.Include.NON_NULL) Instant resolvedAt) {
    }

    /** The page as sent; {@code nextCursor} is null on the last page. */
    public record GapPage(String webhookId, Instant since, Instant generatedAt, List<GapItem> items,
            @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** The exact body bytes and the headers that sign them. */
    public record Signed(byte[] body, Map<String, String> headers) {
    }

    private final GapEntries entries;
    private final WebhookView webhooks;
    private final SigningSecrets secrets;
    private final OwnSigningKeys ownKeys;
    private final ObjectMapper json;

    GapManifestPages(GapEntries entries, WebhookView webhooks, SigningSecrets secrets, OwnSigningKeys ownKeys,
            ObjectMapper json) {
        this.entries = entries;
        this.webhooks = webhooks;
        this.secrets = secrets;
        this.ownKeys = ownKeys;
        this.json = json;
    }

    /**
     * The entries of {@code webhookId} whose last missed event is at or after {@code since}, after {@code cursor} when
     * given, at most {@code limit} (one more is read to know whether a next page exists). 404 {@code webhook_not_found}
     * for a webhook this dispatcher does not know in {@code environment} (its manifest cannot be signed).
     */
    public Uni<Signed> page(String environment, String webhookId, Instant since, GapCursor cursor,
            boolean includeResolved, int limit) {
        WebhookState w = webhooks.webhook(webhookId);
        if (w == null || !environment.equals(w.environment())) {
            return Uni.createFrom().failure(ProblemException.notFound("webhook_not_found",
                    "No webhook " + webhookId + " in this Environment."));
        }
        return entries.page(environment, webhookId, since, cursor == null ? null : cursor.lastEventAt(),
                cursor == null ? null : cursor.orderingKey(), includeResolved, limit + 1).chain(rows -> {
                    List<GapEntries.Entry> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
                    String next = rows.size() > limit ? GapCursor.after(shown.get(limit - 1)).encode() : null;
                    List<GapItem> items = shown.stream().map(e -> new GapItem(e.resource(), e.resourceId(), e.type(),
                            e.lastEventAt(), e.lastEventId(), e.reason(), e.deliveryId(), e.resolvedAt())).toList();
                    GapPage page = new GapPage(webhookId, since, Instant.now(), items, next);
                    String msgId = "gap_" + contentHash(webhookId, since, includeResolved, cursor, items, next);
                    byte[] body = bytes(page);
                    long now = Instant.now().getEpochSecond();
                    return signature(w, msgId, now, new String(body, StandardCharsets.UTF_8)).map(signature -> {
                        Map<String, String> headers = new LinkedHashMap<>();
                        headers.put("webhook-id", msgId);
                        headers.put("webhook-timestamp", String.valueOf(now));
                        headers.put("webhook-signature", signature);
                        return new Signed(body, headers);
                    });
                });
    }

    private Uni<String> signature(WebhookState w, String msgId, long now, String body) {
        if (w.security() != null && w.security().signingKeys() != null && !w.security().signingKeys().isEmpty()
                && SecurityMethods.STANDARD_WEBHOOKS.equals(w.security().method())) {
            return ownKeys.active(w).map(keys -> OwnKeySignature.header(keys, msgId, now, body));
        }
        List<String> usable = (w.security() == null || w.security().secretIds() == null ? List.<String> of()
                : w.security().secretIds()).stream()
                        .filter(id -> secrets.entry(id) != null && secrets.entry(id).usable()).toList();
        if (usable.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.conflict("manifest_not_signable",
                    "The webhook has no usable signing secret or key, so its gap manifest cannot be signed."));
        }
        return Uni.join().all(usable.stream().map(secrets::value).toList()).andFailFast()
                .map(values -> StandardWebhooksSignature.header(values, msgId, now, body));
    }

    private byte[] bytes(Object value) {
        try {
            return json.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a gap manifest page", e);
        }
    }

    /** A stable id for the page: the same request over the same entries gets the same {@code webhook-id}. */
    private String contentHash(String webhookId, Instant since, boolean includeResolved, GapCursor cursor,
            List<GapItem> items, String next) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((webhookId + '\n' + since + '\n' + includeResolved + '\n'
                    + (cursor == null ? "" : cursor.encode()) + '\n' + next + '\n').getBytes(StandardCharsets.UTF_8));
            sha.update(bytes(items));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
