package io.keyhook.dispatcher.messaging;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets may be committed. Every record read gets a ticket that counts the deliveries it still owes; a
 * partition's commit position only moves past records whose tickets are done, so a record is never committed while one
 * of its deliveries is neither delivered nor stored. Tickets are resolved from any thread; the rest is used by the
 * consumer thread only.
 */
final class OffsetTracker {

    /** What one record still owes. */
    static final class Ticket {
        final long offset;
        private final AtomicInteger remaining;

        Ticket(long offset, int deliveries) {
            this.offset = offset;
            this.remaining = new AtomicInteger(deliveries);
        }

        void resolve() {
            remaining.decrementAndGet();
        }

        boolean done() {
            return remaining.get() <= 0;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Ticket>> open = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    Ticket track(TopicPartition partition, long offset, int deliveries) {
        Ticket t = new Ticket(offset, deliveries);
        open.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(t);
        return t;
    }

    /** New commit positions: past every leading run of done records, for partitions where that moved. */
    Map<TopicPartition, OffsetAndMetadata> advance() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        open.forEach((partition, tickets) -> {
            long next = -1;
            while (!tickets.isEmpty() && tickets.peek().done()) {
                next = tickets.poll().offset + 1;
            }
            if (next >= 0 && !Long.valueOf(next).equals(committed.get(partition))) {
                committed.put(partition, next);
                out.put(partition, new OffsetAndMetadata(next));
            }
        });
        return out;
    }

    /** The last commit position handed out for the partition, or null. */
    Long committed(TopicPartition partition) {
        return committed.get(partition);
    }

    /** Records read and not yet done. */
    int outstanding() {
        int n = 0;
        for (ArrayDeque<Ticket> tickets : open.values()) {
            for (Ticket t : tickets) {
                if (!t.done()) {
                    n++;
                }
            }
        }
        return n;
    }

    boolean drained(Collection<TopicPartition> partitions) {
        for (TopicPartition p : partitions) {
            ArrayDeque<Ticket> tickets = open.get(p);
            if (tickets != null && tickets.stream().anyMatch(t -> !t.done())) {
                return false;
            }
        }
        return true;
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(p -> {
            open.remove(p);
            committed.remove(p);
        });
    }
}
