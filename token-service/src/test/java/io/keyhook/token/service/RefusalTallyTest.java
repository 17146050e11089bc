package io.keyhook.token.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The per-minute refusal counts (issue 28, point 5): one row per source and reason, a bounded number of sources. */
class RefusalTallyTest {

    /** The rows the tally would audit: source, target, detail. */
    static final class Rows extends TokenAudit {
        final List<String[]> rows = new ArrayList<>();

        @Override
        public void record(String environment, String actor, String source, String action, String target, String result,
                String reason) {
            rows.add(new String[] { source, target, reason });
        }
    }

    @Test
    void eachSourceAndReasonIsOneRowWithItsCount() {
        Rows audit = new Rows();
        RefusalTally tally = new RefusalTally(audit, 100);
        for (int i = 0; i < 1000; i++) {
            tally.count("10.0.0.1", "unsupported_grant_type:before_authentication", null);
        }
        tally.count("10.0.0.1", "invalid_client:malformed_client_id", "(malformed: \"a b\" 3 chars)");
        tally.count("10.0.0.2", "invalid_client:malformed_client_id", "(malformed: \"c d\" 3 chars)");
        tally.flush();
        assertEquals(3, audit.rows.size());
        assertTrue(audit.rows.stream().anyMatch(r -> r[0].equals("10.0.0.1")
                && r[2].startsWith("unsupported_grant_type:before_authentication; 1000 refusals from this source")));
        tally.flush();
        assertEquals(3, audit.rows.size(), "nothing counted, nothing written");
    }

    @Test
    void sourcesPastTheCapCountOnOneRowPerReason() {
        Rows audit = new Rows();
        RefusalTally tally = new RefusalTally(audit, 3);
        for (int i = 0; i < 10_000; i++) {
            tally.count("10.1." + (i / 250) + "." + (i % 250), "invalid_request:before_authentication", null);
        }
        tally.flush();
        assertEquals(4, audit.rows.size(), "three sources, then (other sources)");
        String[] other = audit.rows.stream().filter(r -> r[0].equals(RefusalTally.OTHER_SOURCES)).findFirst()
                .orElseThrow();
        assertTrue(other[2].contains("; 9997 refusals "), other[2]);
    }
}
