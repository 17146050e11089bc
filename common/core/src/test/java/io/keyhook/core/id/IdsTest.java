package io.keyhook.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The patterns accept what the API documents and nothing else; the API's strings stay what they were. */
class IdsTest {

    @Test
    void theDocumentedStringsAreUnchanged() {
        // the OpenAPI documents carry these strings: changing one is an API change
        assertEquals("^[a-z0-9][a-z0-9-]{0,62}$", Ids.ENVIRONMENT);
        assertEquals("^(\\*|[a-z0-9][a-z0-9-]{0,62})$", Ids.ENVIRONMENT_OR_ALL);
        assertEquals("^[a-z][a-z0-9_]{0,62}\\.(created|updated|deleted)$", NotificationTypes.TYPE);
        assertEquals("^[a-z][a-z0-9_]{0,62}$", NotificationTypes.DATA_TYPE);
        assertEquals("^(standard-webhooks|jwt-bearer|token-exchange)$", SecurityMethods.PATTERN);
    }

    @Test
    void environmentIds() {
        assertTrue(Ids.isEnvironment("prod-1"));
        assertTrue(Ids.isEnvironment("a".repeat(63)));
        assertFalse(Ids.isEnvironment("a".repeat(64)));
        assertFalse(Ids.isEnvironment("-prod"));
        assertFalse(Ids.isEnvironment("Prod"));
        assertFalse(Ids.isEnvironment("prod\n"));
        assertFalse(Ids.isEnvironment(""));
        assertFalse(Ids.isEnvironment(null));
        assertTrue(Pattern.matches(Ids.ENVIRONMENT_OR_ALL, "*"));
        assertFalse(Pattern.matches(Ids.ENVIRONMENT_OR_ALL, "**"));
    }

    @Test
    void prefixedIdsNeedTheirPrefix() {
        assertTrue(Pattern.matches(Ids.SECRET, "sec_abc123"));
        assertFalse(Pattern.matches(Ids.SECRET, "abc123"), "a secret value pasted where an id belongs");
        assertTrue(Pattern.matches(Ids.WEBHOOK, "wh_X1"));
        assertFalse(Pattern.matches(Ids.WEBHOOK, "wh_"));
        assertFalse(Pattern.matches(Ids.CLIENT, "a,b"));
    }

    @Test
    void notificationTypesFollowTheGrammarForEveryAction() {
        for (String action : NotificationTypes.ACTIONS) {
            String type = NotificationTypes.of("patients", action);
            assertTrue(NotificationTypes.isType(type), type);
            assertEquals("patients", NotificationTypes.dataTypeOf(type));
        }
        assertEquals(3, NotificationTypes.ACTIONS.size(), "the pattern spells out exactly these actions");
        assertFalse(NotificationTypes.isType("patients.archived"));
        assertFalse(NotificationTypes.isType("Patients.created"));
        assertFalse(NotificationTypes.isType("patients"));
        assertFalse(NotificationTypes.isType(null));
    }

    @Test
    void everySecurityMethodIsValidAndNothingElse() {
        for (String method : SecurityMethods.ALL) {
            assertTrue(Pattern.matches(SecurityMethods.PATTERN, method), method);
        }
        assertFalse(Pattern.matches(SecurityMethods.PATTERN, "basic"));
    }
}
