package io.keyhook.token.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class CacheControlTest {

    private static final Duration DEFAULT = Duration.ofMinutes(5);
    private static final Duration CAP = Duration.ofHours(1);

    private static Duration keep(String header) {
        return CacheControl.keepFor(header, DEFAULT, CAP);
    }

    @Test
    void keysAreNeverKeptLongerThanTheAnswerAllows() {
        assertEquals(DEFAULT, keep(null));
        assertEquals(DEFAULT, keep("public"));
        assertEquals(Duration.ofSeconds(60), keep("public, max-age=60"));
        assertEquals(Duration.ofSeconds(60), keep("MAX-AGE = \"60\""));
        assertEquals(Duration.ZERO, keep("no-store"));
        assertEquals(Duration.ZERO, keep("max-age=600, no-cache"));
        assertEquals(Duration.ZERO, keep("no-cache=\"set-cookie\", max-age=600"));
        assertEquals(Duration.ZERO, keep("max-age=0"));
    }

    @Test
    void aMalformedMaxAgeKeepsNothingAndAHugeOneIsCapped() {
        assertEquals(Duration.ZERO, keep("max-age=abc"));
        assertEquals(Duration.ZERO, keep("max-age=-5"));
        assertEquals(Duration.ZERO, keep("max-age"));
        assertEquals(CAP, keep("max-age=99999999999999999999999"));
        assertEquals(CAP, keep("max-age=86400"));
    }
}
