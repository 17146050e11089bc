package io.keyhook.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * One sample record per topic (and kind), as its producer writes it: {@code contracts/<topic>[.<kind>].json}. The
 * producer's test checks that its code writes exactly this JSON (names, values, nulls); each reader's test checks that
 * its code reads all of it back. So a change on either side that the other would not understand fails a unit test.
 */
public final class ContractSamples {

    private ContractSamples() {
    }

    /** The sample's JSON text. */
    public static String json(String name) {
        try (InputStream in = ContractSamples.class.getResourceAsStream("/contracts/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no contract sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The sample as a JSON tree, to compare with what a producer wrote. */
    public static JsonNode tree(String name) {
        try {
            return mapper().readTree(json(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A mapper set as the services set Quarkus's ({@code quarkus.jackson.*}: unknown properties fail, dates as ISO
     * text, nulls written): the strictest reader and the writer the topics see.
     */
    public static ObjectMapper mapper() {
        return JsonMapper.builder().findAndAddModules().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }
}
