package io.keyhook.dispatcher.scheduling;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, for one webhook, which deliveries may start now. The ordering promise: deliveries with the same ordering key
 * (the event's {@code subject}, i.e. the record) go out one at a time in the order they were offered — a later one
 * waits while an earlier one is in flight or being retried — while deliveries with different keys go out concurrently,
 * up to {@code maxConcurrent} at once for the webhook. With ordering off, every delivery gets its own key. Not
 * thread-safe: one owner per webhook.
 *
 * @param <T>
 *            a delivery
 */
public final class DeliveryLanes<T> {

    private final int maxConcurrent;
    // keys in the order their oldest waiting delivery arrived
    private final Map<String, ArrayDeque<T>> waiting = new LinkedHashMap<>();
    private final Set<String> busy = new HashSet<>();
    private int waitingCount;

    public DeliveryLanes(int maxConcurrent) {
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1");
        }
        this.maxConcurrent = maxConcurrent;
    }

    /** Queues a delivery behind any earlier one with the same key. */
    public void offer(String key, T delivery) {
        waiting.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(delivery);
        waitingCount++;
    }

    /**
     * The deliveries that may start now, oldest keys first; each one's key is busy until {@link #done} is called for it
     * (after success, or after its last attempt failed — a retry keeps the key busy).
     */
    public List<Started<T>> start() {
        List<Started<T>> out = new ArrayList<>();
        Iterator<Map.Entry<String, ArrayDeque<T>>> it = waiting.entrySet().iterator();
        while (busy.size() < maxConcurrent && it.hasNext()) {
            Map.Entry<String, ArrayDeque<T>> e = it.next();
            if (busy.contains(e.getKey())) {
                continue;
            }
            T next = e.getValue().pollFirst();
            waitingCount--;
            busy.add(e.getKey());
            out.add(new Started<>(e.getKey(), next));
            if (e.getValue().isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    /** The delivery with this key is finished (delivered or given up); the next one with the key may start. */
    public void done(String key) {
        if (!busy.remove(key)) {
            throw new IllegalStateException("no delivery in flight for key " + key);
        }
    }

    public int inFlight() {
        return busy.size();
    }

    public int waiting() {
        return waitingCount;
    }

    /** A delivery allowed to start, with the key to pass to {@link #done}. */
    public record Started<T>(String key, T delivery) {
    }
}
