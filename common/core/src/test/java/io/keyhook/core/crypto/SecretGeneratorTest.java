package io.keyhook.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SecretGeneratorTest {

    @Test
    void secretsSurviveFormEncodingAndDecodeAsStandardWebhooksKeys() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) {
            String s = SecretGenerator.newSecret();
            assertTrue(s.startsWith("whsec_"), s);
            assertEquals(s, URLEncoder.encode(s, StandardCharsets.UTF_8), "form-urlencoding must not change " + s);
            // what Standard Webhooks libraries do: strip the prefix, base64-decode the rest
            byte[] key = Base64.getDecoder().decode(s.substring("whsec_".length()));
            assertEquals(33, key.length, "264 random bits");
            assertTrue(seen.add(s), "secrets must not repeat");
        }
    }

    @Test
    void idsArePrefixedBase62WithEnoughEntropy() {
        String id = SecretGenerator.newId("cl_");
        assertTrue(id.matches("cl_[0-9A-Za-z]{22}"), id);
    }

    @Test
    void everyIdCharacterIsEquallyLikely() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        int[] counts = new int[128];
        int ids = 20_000;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids; i++) {
            String id = SecretGenerator.newId("at");
            assertTrue(seen.add(id), "ids must not repeat");
            for (int c = 2; c < id.length(); c++) {
                counts[id.charAt(c)]++;
            }
        }
        double expected = ids * 22.0 / alphabet.length();
        for (char c : alphabet.toCharArray()) {
            // about 84 is one standard deviation: 6 % of the expected count is five; a byte taken modulo 62 without
            // dropping 248..255 makes '0'..'7' a quarter likelier than the rest
            assertEquals(expected, counts[c], expected * 0.06, "how often '" + c + "' came up");
        }
    }
}
