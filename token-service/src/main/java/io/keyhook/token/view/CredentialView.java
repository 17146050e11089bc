package io.keyhook.token.view;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import io.keyhook.common.contract.ClientStateRecord;

/**
 * The local view of every client and its secrets, built from the compacted {@code keyhook.credentials} topic (and
 * topped up by lookups in credentials-service). The token endpoint authenticates against it alone, so it keeps working
 * while credentials-service is down.
 */
@ApplicationScoped
public class CredentialView {

    /** A secret that stopped being honoured: invalidated, or its client disabled or deleted. */
    public record Revoked(String secretId, String clientId, String environment, String reason) {
    }

    private final ConcurrentHashMap<String, KnownClient> clients = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> clientOfSecret = new ConcurrentHashMap<>();
    private final List<Consumer<Revoked>> revocationListeners = new CopyOnWriteArrayList<>();
    private volatile Duration relevance = Duration.ofMinutes(20);

    public KnownClient client(String clientId) {
        return clientId == null ? null : clients.get(clientId);
    }

    /** The client a secret belongs to, or null. */
    public KnownClient clientOfSecret(String secretId) {
        String clientId = secretId == null ? null : clientOfSecret.get(secretId);
        return clientId == null ? null : clients.get(clientId);
    }

    public int size() {
        return clients.size();
    }

    public void onRevoked(Consumer<Revoked> listener) {
        revocationListeners.add(listener);
    }

    /**
     * Applies a record unless the view already holds a newer state of that client (a lookup may have fetched it before
     * the topic delivered it). Returns whether it was applied.
     */
    public boolean apply(ClientStateRecord record) {
        if (record == null || record.clientId() == null) {
            return false;
        }
        KnownClient next = KnownClient.of(record);
        List<Revoked> revoked = new ArrayList<>();
        boolean[] applied = { false };
        clients.compute(record.clientId(), (id, previous) -> {
            if (previous != null && previous.updatedAt() != null && next.updatedAt() != null
                    && next.updatedAt().isBefore(previous.updatedAt())) {
                return previous;
            }
            applied[0] = true;
            collectRevoked(previous, next, revoked);
            return next;
        });
        if (applied[0]) {
            for (KnownClient.KnownSecret s : next.secrets()) {
                clientOfSecret.put(s.id(), next.clientId());
            }
            revoked.forEach(r -> revocationListeners.forEach(l -> l.accept(r)));
        }
        return applied[0];
    }

    /** A tombstone: the client is gone, so none of its secrets is honoured any more. */
    public void remove(String clientId) {
        KnownClient gone = clients.remove(clientId);
        if (gone == null) {
            return;
        }
        for (KnownClient.KnownSecret s : gone.secrets()) {
            clientOfSecret.remove(s.id());
            revocationListeners
                    .forEach(l -> l.accept(new Revoked(s.id(), gone.clientId(), gone.environment(), "client_deleted")));
        }
    }

    /**
     * The secret of the client whose verifier equals {@code digest}, compared in constant time against every secret
     * (active or not) so the time taken does not depend on which one matched. Returns null when none does.
     */
    public static KnownClient.KnownSecret match(KnownClient client, byte[] digest) {
        KnownClient.KnownSecret found = null;
        for (KnownClient.KnownSecret s : client.secrets()) {
            if (s.verifier() != null && MessageDigest.isEqual(s.verifier(), digest) && found == null) {
                found = s;
            }
        }
        return found;
    }

    /**
     * Secrets this change stops honouring. Without a previous state (a rebuild) only those stopped recently enough for
     * tokens issued under them to be still alive are reported: older tokens have expired anyway.
     */
    private void collectRevoked(KnownClient previous, KnownClient next, List<Revoked> out) {
        Instant cutoff = Instant.now().minus(relevance);
        for (KnownClient.KnownSecret s : next.secrets()) {
            boolean wasHonoured = previous == null || previous.honours(s.id());
            if (!wasHonoured || next.honours(s.id())) {
                continue;
            }
            Instant since = !s.active() ? s.invalidatedAt() : next.updatedAt();
            if (previous == null && since != null && since.isBefore(cutoff)) {
                continue;
            }
            out.add(new Revoked(s.id(), next.clientId(), next.environment(),
                    !s.active() ? "secret_invalidated" : "client_disabled"));
        }
    }

    /** How far back a rebuild still reports revocations: the longest token lifetime plus skew. */
    public void relevance(Duration relevance) {
        this.relevance = relevance;
    }
}
