package io.keyhook.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/**
 * The webhook form's tuning reader: whatever rows and text a form sends, the header map holds exactly the named rows, a
 * refused form's values read back to the same request, and blank rows stay offered.
 */
class WebhookTuningPropertiesTest {

    @Property
    void theHeaderMapHoldsExactlyTheNamedRows(@ForAll @Size(max = 8) List<String> names,
            @ForAll @Size(max = 8) List<String> values) {
        WebhookTuning t = WebhookTuning.of("data", "", "", "", names, values);
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i) != null && !names.get(i).isBlank()) {
                expected.put(names.get(i).strip(), i < values.size() && values.get(i) != null ? values.get(i) : "");
            }
        }
        assertEquals(expected, t.headerMap());
        List<WebhookTuning.Header> rows = t.headers();
        assertTrue(rows.size() >= WebhookTuning.BLANK_ROWS);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).index());
        }
        assertTrue(rows.subList(rows.size() - WebhookTuning.BLANK_ROWS, rows.size()).stream()
                .allMatch(r -> r.name().isEmpty() && r.value().isEmpty()), "room to add a header without the script");
    }

    @Property
    void aRefusedFormReadsBackToTheSameRequest(@ForAll String timeout, @ForAll String rate,
            @ForAll @Size(max = 6) List<String> names, @ForAll @Size(max = 6) List<String> values,
            @ForAll boolean operational) {
        WebhookTuning sent = WebhookTuning.of(operational ? "operational" : "data", timeout, "", rate, names, values);
        Map<String, List<String>> kept = new HashMap<>();
        sent.putValues(kept);

        WebhookTuning back = WebhookTuning.of(new Flash("refused", null, kept), "data");

        assertEquals(sent.requestFields(null), back.requestFields(null));
        assertEquals(sent.requestFields(WebhookTuning.blank()), back.requestFields(WebhookTuning.blank()));
        assertEquals(Map.of(), sent.requestFields(back), "nothing changed: nothing sent");
        assertEquals(sent.purpose(), back.purpose());
        assertEquals(sent.duplicateHeader(), back.duplicateHeader());
    }

    @Property
    void numbersAreSentAsNumbersBlankAsNullAndOtherTextAsTyped(@ForAll String typed) {
        Object sent = WebhookTuning.of("data", typed, "", "", List.of(), List.of()).requestFields(null)
                .get("timeoutMs");
        String t = typed.strip();
        if (t.isEmpty()) {
            assertNull(sent);
        } else if (t.matches("[+-]?\\d{1,18}")) {
            assertEquals(Long.parseLong(t), sent);
        } else {
            assertTrue(sent instanceof String || sent instanceof Long, String.valueOf(sent));
        }
    }

    @Property
    void aDuplicateIsFoundIgnoringCase(
            @ForAll @Size(min = 1, max = 6) List<@AlphaChars @StringLength(min = 1, max = 12) String> names) {
        // header names are ASCII tokens (RFC 9110): the twin differs only in case
        List<String> withTwin = new ArrayList<>(names);
        String first = names.get(0);
        withTwin.add(first.toUpperCase(Locale.ROOT));
        WebhookTuning t = WebhookTuning.of("data", "", "", "", withTwin, List.of());
        assertTrue(t.duplicateHeader() != null, "a twin of " + first);
    }
}
