package io.keyhook.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.keyhook.core.error.ProblemException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

class RefusalAuditTest {

    private final AuditLogTest.RefusingStore store = new AuditLogTest.RefusingStore();
    private final RefusalAudit refusals = new RefusalAudit(
            new AuditLog(store, new AuditLogTest.NoSchema(), new SimpleMeterRegistry()));

    @Test
    void aRefusalIsWrittenWithItsCodeBeforeTheFailureIsPassedOn() {
        ProblemException refused = ProblemException.conflict("webhook_limit_reached", "too many");

        Throwable passed = assertThrows(ProblemException.class, () -> refusals
                .refusalsOf("env-1", "alice", "webhook.create", "webhook", "wh_1", Uni.createFrom().failure(refused))
                .await().atMost(Duration.ofSeconds(5)));

        assertSame(refused, passed);
        AuditEntry e = store.stored.get(0);
        assertEquals(List.of("env-1", "alice", "webhook.create", "webhook", "wh_1", "refused:webhook_limit_reached"),
                List.of(e.environment(), e.actor(), e.action(), e.targetType(), e.target(), e.result()));
    }

    @Test
    void anyOtherFailureIsAnErrorAndASuccessIsNotWrittenHere() {
        assertThrows(IllegalStateException.class, () -> refusals.refusalsOf("env-1", "alice", "webhook.delete",
                "webhook", "wh_1", Uni.createFrom().failure(new IllegalStateException("boom"))).await().indefinitely());
        assertEquals("error", store.stored.get(0).result());

        assertEquals("done", refusals
                .refusalsOf("env-1", "alice", "webhook.delete", "webhook", "wh_1", Uni.createFrom().item("done"))
                .await().indefinitely());
        assertEquals(1, store.stored.size());
        assertTrue(store.stored.stream().noneMatch(x -> "success".equals(x.result())));
    }
}
