package io.keyhook.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class AuditEntryTest {

    @Test
    void everyFieldIsCleanedAndCappedToItsColumn() {
        String nul = "a" + (char) 0 + "b";
        AuditEntry e = AuditEntry.now(nul, "x".repeat(5000), nul, nul, nul, "t".repeat(70_000), nul, "d".repeat(2000));
        for (String v : new String[] { e.environment(), e.actor(), e.source(), e.action(), e.targetType(), e.target(),
                e.result(), e.detail() }) {
            assertFalse(v.indexOf(0) >= 0, "no NUL reaches PostgreSQL: " + v);
        }
        assertEquals(AuditEntry.MAX_ACTOR, e.actor().length());
        assertEquals(AuditEntry.MAX_TARGET, e.target().length());
        assertEquals(AuditEntry.MAX_DETAIL, e.detail().length());
    }

    @Test
    void noActorIsAnonymousAndTheTimeIsSet() {
        AuditEntry e = AuditEntry.now(null, null, null, "token.refused", "client", "cl_x", "refused", null);
        assertEquals("anonymous", e.actor());
        assertNotNull(e.occurredAt());
    }

    @Test
    void aPlaceholderSaysAnEntryWasRefusedWithoutRepeatingIt() {
        AuditEntry p = AuditEntry.now("env", "cl_x", "1.2.3.4", "token.refused", "client", "cl_x", "refused", "why")
                .placeholder();
        assertEquals("audit.unstorable", p.action());
        assertEquals("env", p.environment());
        assertNull(p.target());
        assertNull(p.detail() == null ? null : p.detail().contains("why") ? "repeated" : null);
        assertEquals("error", p.result());
    }
}
