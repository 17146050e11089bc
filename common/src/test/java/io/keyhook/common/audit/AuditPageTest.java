package io.keyhook.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class AuditPageTest {

    @Test
    void theExtraRowOnlySaysThatMoreFollowAndIsNotShown() {
        AuditPage<Long> page = AuditPage.of(List.of(9L, 8L, 7L), 2, id -> id);
        assertEquals(List.of(9L, 8L), page.items());
        assertEquals("8", page.nextCursor());
    }

    @Test
    void aPageThatHoldsTheLastEntryHasNoCursorEvenWhenItIsFull() {
        AuditPage<Long> full = AuditPage.of(List.of(9L, 8L), 2, id -> id);
        assertEquals(List.of(9L, 8L), full.items());
        assertNull(full.nextCursor(), "a cursor here would lead to an empty page");
        assertNull(AuditPage.of(List.of(9L), 2, id -> id).nextCursor());
        assertEquals(List.of(), AuditPage.<Long> of(List.of(), 2, id -> id).items());
    }

    @Test
    void mappingKeepsTheCursor() {
        assertEquals(new AuditPage<>(List.of("9", "8"), "8"),
                AuditPage.of(List.of(9L, 8L, 7L), 2, id -> id).map(String::valueOf));
    }

    @Test
    void aPageOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuditPage.of(List.of(1L), 0, id -> id));
    }
}
