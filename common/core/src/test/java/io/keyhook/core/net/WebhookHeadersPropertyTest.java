package io.keyhook.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever an admin writes as a custom header (issue 31), what passes can be put on the wire as it is: no CR/LF/NUL or
 * control character, no name Keyhook or the connection owns, in any case; and a refusal never carries the value.
 */
class WebhookHeadersPropertyTest {

    @Property(tries = 2000)
    void whatPassesIsSafeOnTheWire(@ForAll("names") String name, @ForAll("values") String value) {
        WebhookHeaders.Refusal r = WebhookHeaders.problem(name, value);
        if (r == null) {
            assertTrue(name.length() >= 1 && name.length() <= 64);
            assertTrue(name.chars().allMatch(c -> c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={} ".indexOf(c) < 0), name);
            assertTrue(value.chars().allMatch(c -> c == '\t' || c >= 0x20 && c < 0x7f), value);
            assertFalse(value.contains("\r") || value.contains("\n") || value.contains("\0"));
            String lower = name.toLowerCase(Locale.ROOT);
            assertFalse(
                    lower.startsWith("webhook-") || lower.startsWith("content-") || lower.equals("authorization")
                            || lower.equals("host") || lower.equals("transfer-encoding") || lower.equals("cookie"),
                    name);
        } else {
            assertNotNull(r.code());
            // the value is never echoed, and a shown name is printable
            if (value != null && value.length() >= 3) {
                assertFalse(r.message().contains(value), r.message());
            }
            if (r.header() != null) {
                assertTrue(r.header().chars().allMatch(c -> c > 0x20 && c < 0x7f), r.header());
            }
        }
    }

    @Property(tries = 1000)
    void sendableKeepsOnlyWhatPasses(@ForAll("headerMaps") Map<String, String> headers) {
        Map<String, String> sent = WebhookHeaders.sendable(headers);
        sent.forEach((n, v) -> assertNull(WebhookHeaders.problem(n, v), n));
        assertTrue(sent.size() <= headers.size());
    }

    @Property(tries = 500)
    void deniedNamesAreDeniedInAnyCase(@ForAll("deniedNames") String name, @ForAll boolean upper) {
        String n = upper ? name.toUpperCase(Locale.ROOT) : name;
        assertEquals(WebhookHeaders.NAME_DENIED, WebhookHeaders.problem(n, "x").code());
        assertTrue(WebhookHeaders.sendable(Map.of(n, "x")).isEmpty());
    }

    @Test
    void namesDifferingOnlyByCaseAreRefusedAndCountsAndSizesAreCapped() {
        Map<String, String> twice = new LinkedHashMap<>();
        twice.put("X-Tenant", "a");
        twice.put("x-tenant", "b");
        List<WebhookHeaders.Refusal> r = WebhookHeaders.check(twice, 20, 8192);
        assertEquals(List.of(WebhookHeaders.DUPLICATE), r.stream().map(WebhookHeaders.Refusal::code).toList());
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < 21; i++) {
            many.put("x-h" + i, "v");
        }
        assertEquals(WebhookHeaders.TOO_MANY, WebhookHeaders.check(many, 20, 8192).get(0).code());
        assertEquals(WebhookHeaders.TOO_LARGE,
                WebhookHeaders.check(Map.of("x-a", "v".repeat(1000), "x-b", "v".repeat(1000)), 20, 1500).get(0).code());
        assertEquals(WebhookHeaders.VALUE_INVALID, WebhookHeaders.problem("x-a", "a\r\nx-injected: 1").code());
        assertEquals(WebhookHeaders.VALUE_INVALID, WebhookHeaders.problem("x-a", "v".repeat(1025)).code());
        assertEquals(WebhookHeaders.NAME_INVALID, WebhookHeaders.problem("x a", "v").code());
        assertEquals("x?a", WebhookHeaders.problem("x\na", "v").header());
        assertNull(WebhookHeaders.problem("X-Tenant-Id", "tenant 42\tok"));
    }

    @Provide
    Arbitrary<String> names() {
        Arbitrary<String> tokens = Arbitraries.strings().withChars("abcXYZ-_.!#~09").ofMinLength(1).ofMaxLength(70);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(70);
        return Arbitraries.oneOf(tokens, anything, deniedNames(), deniedNames().map(n -> n + "x"),
                Arbitraries.of("", "x-tenant", "X-Api-Version"));
    }

    @Provide
    Arbitrary<String> values() {
        Arbitrary<String> ascii = Arbitraries.strings().withCharRange(' ', '~').withChars('\t').ofMaxLength(1100);
        Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(60);
        Arbitrary<String> injected = ascii.map(v -> v + "\r\nx-evil: 1");
        return Arbitraries.oneOf(ascii, anything, injected,
                Arbitraries.of("a\0b", "\u00e9t\u00e9", " lead", "trail\t"));
    }

    @Provide
    Arbitrary<String> deniedNames() {
        return Arbitraries.of("webhook-signature", "webhook-id", "webhook-timestamp", "webhook-anything",
                "authorization", "host", "content-type", "content-length", "connection", "keep-alive",
                "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "cookie");
    }

    @Provide
    Arbitrary<Map<String, String>> headerMaps() {
        return Arbitraries.maps(names(), values()).ofMaxSize(25);
    }
}
