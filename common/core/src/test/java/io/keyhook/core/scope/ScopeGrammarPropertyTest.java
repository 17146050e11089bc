package io.keyhook.core.scope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The scope grammar and what implies what, against a model written out here (issue 30). */
class ScopeGrammarPropertyTest {

    private static final List<String> DATA_TYPES = List.of("patients", "observations", "lab_results2");
    private static final String LETTERS = "cruds";

    @Property(tries = 1000)
    void everyScopeOfTheGrammarParsesToWhatItSays(@ForAll("scopes") String text) {
        Scope s = Scope.parse(text);
        assertNotNull(s, text);
        assertEquals(text, s.text());
        assertEquals(modelPermissions(text), s.permissions(), text);
        assertEquals(text.equals("read") || text.equals("write") || text.startsWith("system/*."), s.anyDataType());
    }

    @Property(tries = 2000)
    void anythingElseIsNotAScope(@ForAll("nearMisses") String text) {
        assertEquals(modelIsScope(text), Scope.parse(text) != null, text);
    }

    @Property(tries = 1000)
    void v1ReadIsV2RsAndV1WriteIsV2Cud(@ForAll("dataTypes") String type) {
        for (String[] same : new String[][] { { "read", "rs" }, { "write", "cud" } }) {
            AllowedScopes v1 = AllowedScopes.of(List.of("system/" + type + "." + same[0]));
            AllowedScopes v2 = AllowedScopes.of(List.of("system/" + type + "." + same[1]));
            assertTrue(v1.allows("system/" + type + "." + same[1]));
            assertTrue(v2.allows("system/" + type + "." + same[0]));
        }
        assertFalse(AllowedScopes.of(List.of("system/" + type + ".read")).allows("system/" + type + ".write"));
        assertFalse(AllowedScopes.of(List.of("system/" + type + ".rs")).allows("system/" + type + ".rsu"));
    }

    @Property(tries = 1000)
    void aScopeIsAllowedExactlyWhenTheAllowedOnesOnItsDataTypeCoverItsPermissions(
            @ForAll("scopeLists") List<String> allowed, @ForAll("scopes") String asked) {
        int covered = 0;
        Scope a = Scope.parse(asked);
        for (String text : allowed) {
            Scope s = Scope.parse(text);
            if (s.anyDataType() || (!a.anyDataType() && s.resource().equals(a.resource()))) {
                covered |= s.permissions();
            }
        }
        boolean expected = allowed.contains(asked) || (a.permissions() & ~covered) == 0;
        assertEquals(expected, AllowedScopes.of(allowed).allows(asked), allowed + " asked " + asked);
    }

    @Property(tries = 500)
    void allowingMoreNeverTakesAnythingAway(@ForAll("scopeLists") List<String> allowed, @ForAll("scopes") String extra,
            @ForAll("scopes") String asked) {
        List<String> more = new ArrayList<>(allowed);
        more.add(extra);
        if (AllowedScopes.of(allowed).allows(asked)) {
            assertTrue(AllowedScopes.of(more).allows(asked));
        }
        for (String each : more) {
            assertTrue(AllowedScopes.of(more).allows(each), each);
        }
    }

    @Property(tries = 500)
    void aWildcardAllowsEveryDataTypeButNotTheOtherWayRound(@ForAll("dataTypes") String type,
            @ForAll("v2") String permission) {
        assertTrue(AllowedScopes.of(List.of("system/*.cruds")).allows("system/" + type + "." + permission));
        assertFalse(AllowedScopes.of(List.of("system/" + type + ".cruds")).allows("system/*." + permission));
        // Keyhook's read/write are the wildcard's read/write
        boolean readOnly = permission.replace("r", "").replace("s", "").isEmpty();
        assertEquals(readOnly, AllowedScopes.of(List.of("read")).allows("system/" + type + "." + permission));
    }

    @Property(tries = 500)
    void registrationAcceptsDistinctScopesOfOfferedTypesAndNamesTheFirstBadOne(
            @ForAll("scopeLists") List<String> scopes, @ForAll("nearMisses") String bad) {
        List<String> distinct = scopes.stream().distinct().toList();
        assertNull(ScopeRegistration.check(distinct, DATA_TYPES));
        if (!distinct.isEmpty()) {
            List<String> twice = new ArrayList<>(distinct);
            twice.add(distinct.get(0));
            var v = ScopeRegistration.check(twice, DATA_TYPES);
            assertEquals(ScopeRegistration.DUPLICATE, v.code());
            assertEquals(distinct.get(0), v.scope());
        }
        List<String> withBad = new ArrayList<>(distinct);
        withBad.add(bad);
        var v = ScopeRegistration.check(withBad, DATA_TYPES);
        if (!modelIsScope(bad)) {
            assertEquals(ScopeRegistration.MALFORMED, v.code(), bad);
        } else if (!distinct.contains(bad)) {
            assertTrue(v == null || v.code().equals(ScopeRegistration.UNKNOWN_DATA_TYPE), bad);
        }
    }

    @Example
    void unknownDataTypesTooManyAndControlCharactersAreRefused() {
        assertEquals(ScopeRegistration.UNKNOWN_DATA_TYPE,
                ScopeRegistration.check(List.of("system/invoices.read"), DATA_TYPES).code());
        assertEquals("system/invoices.read",
                ScopeRegistration.check(List.of("system/invoices.read"), DATA_TYPES).scope());
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= ScopeRegistration.MAX_SCOPES; i++) {
            many.add("read");
        }
        assertEquals(ScopeRegistration.TOO_MANY, ScopeRegistration.check(many, DATA_TYPES).code());
        var nul = ScopeRegistration.check(List.of("system/patients.read\u0000"), DATA_TYPES);
        assertEquals(ScopeRegistration.MALFORMED, nul.code());
        assertFalse(nul.scope().contains("\u0000"));
        var huge = ScopeRegistration.check(List.of("system/" + "a".repeat(10_000) + ".read"), DATA_TYPES);
        assertEquals(ScopeRegistration.MALFORMED, huge.code());
        assertTrue(huge.scope().length() <= Scope.MAX_LENGTH + 1);
        assertNull(Scope.parse("system/patients.sr"), "v2 letters go in the order c r u d s");
        assertNull(Scope.parse("system/patients."));
        assertNull(Scope.parse("patient/patients.read"));
        assertNull(Scope.parse("system/Patients.read"));
        assertNull(Scope.parse(""));
        assertNull(Scope.parse(null));
    }

    // the model: the grammar written out without the parser's regular expression

    static boolean modelIsScope(String text) {
        if (text.equals("read") || text.equals("write")) {
            return true;
        }
        if (text.length() > Scope.MAX_LENGTH || !text.startsWith("system/") || text.indexOf('.') < 0) {
            return false;
        }
        String resource = text.substring("system/".length(), text.lastIndexOf('.'));
        String permission = text.substring(text.lastIndexOf('.') + 1);
        boolean resourceOk = resource.equals("*") || resource.matches("[a-z][a-z0-9_]{0,62}");
        return resourceOk && (permission.equals("read") || permission.equals("write") || isV2(permission));
    }

    static boolean isV2(String p) {
        int last = -1;
        for (char c : p.toCharArray()) {
            int at = LETTERS.indexOf(c);
            if (at <= last) {
                return false;
            }
            last = at;
        }
        return !p.isEmpty();
    }

    static int modelPermissions(String text) {
        String p = text.contains(".") ? text.substring(text.lastIndexOf('.') + 1) : text;
        if (p.equals("read")) {
            return Scope.READ;
        }
        if (p.equals("write")) {
            return Scope.WRITE;
        }
        int bits = 0;
        for (char c : p.toCharArray()) {
            bits |= 1 << LETTERS.indexOf(c);
        }
        return bits;
    }

    @Provide
    Arbitrary<String> dataTypes() {
        return Arbitraries.oneOf(Arbitraries.of(DATA_TYPES),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20));
    }

    @Provide
    Arbitrary<String> v2() {
        return Arbitraries.integers().between(1, 31).map(bits -> {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                if ((bits & (1 << i)) != 0) {
                    b.append(LETTERS.charAt(i));
                }
            }
            return b.toString();
        });
    }

    @Provide
    Arbitrary<String> scopes() {
        Arbitrary<String> resource = Arbitraries.oneOf(Arbitraries.of(DATA_TYPES), Arbitraries.just("*"));
        Arbitrary<String> permission = Arbitraries.oneOf(Arbitraries.of("read", "write"), v2());
        return Arbitraries.oneOf(Arbitraries.of("read", "write"),
                Combinators.combine(resource, permission).as((r, p) -> "system/" + r + "." + p));
    }

    @Provide
    Arbitrary<List<String>> scopeLists() {
        return scopes().list().ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> nearMisses() {
        // valid scopes with one character changed, inserted or removed, plus arbitrary text
        Arbitrary<Character> odd = Arbitraries.oneOf(Arbitraries.chars().with('\u0000', '\n', '\u007f', '\u0085', ' ',
                '.', '/', '*', 'A', 'x', 'c', 'r', 'u', 'd', 's', '\u00e9'), Arbitraries.chars());
        Arbitrary<String> edited = Combinators
                .combine(scopes(), Arbitraries.integers().between(0, 40), odd, Arbitraries.integers().between(0, 2))
                .as((s, at, c, how) -> {
                    int i = Math.min(at, s.length());
                    return switch (how) {
                    case 0 -> s.substring(0, i) + c + s.substring(i);
                    case 1 -> i < s.length() ? s.substring(0, i) + c + s.substring(i + 1) : s + c;
                    default -> i < s.length() ? s.substring(0, i) + s.substring(i + 1) : s;
                    };
                });
        return Arbitraries.oneOf(edited, Arbitraries.strings().ofMaxLength(30), Arbitraries.strings()
                .withCharRange('a', 'z').ofLength(Scope.MAX_LENGTH).map(s -> "system/" + s + ".rs"));
    }
}
