package io.keyhook.dispatcher.persistence;

import java.time.Instant;

/**
 * A delivery as the direct path writes it: a new row in its current state (delivered, pending for a retry, held,
 * failed) with, when one was made, its first attempt.
 */
public record LogEntry(DeliveryRow row, String status, int attempts, Instant nextAttemptAt, Integer lastStatus,
        String lastError, Instant finishedAt, AttemptRecord attempt) {

    /** The attempt made before the row was written. */
    public record AttemptRecord(int number, Instant startedAt, int latencyMs, Integer statusCode, String error,
            String response) {
    }

    /** Whether this entry leaves the delivery open (to be attempted by the engine later). */
    public boolean open() {
        return DeliveryRow.PENDING.equals(status) || DeliveryRow.HELD.equals(status);
    }
}
