package io.keyhook.common.contract;

import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a topic carries, declared once for its producer and every reader: the record type of its values, how its key is
 * read, and the key a value must be published under.
 *
 * @param type
 *            the record a value decodes into (JSON)
 * @param key
 *            reads the record key (every suite topic's key is a string id)
 * @param keyOf
 *            the key a value belongs under: a record published under another key is not applied; null where the key is
 *            not a field of the value
 */
public record TopicContract<K, V>(Class<V> type, Function<String, K> key, Function<V, K> keyOf) {

    /**
     * The record a (non-null) value holds, checked against its key: what every reader of the topic applies.
     *
     * @throws IllegalArgumentException
     *             when the value is not one of the topic's records, or belongs under another key
     */
    public V read(ObjectMapper json, K key, String value) {
        V record;
        try {
            record = json.readValue(value, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName(), e);
        }
        if (record == null) {
            throw new IllegalArgumentException("not a " + type.getSimpleName());
        }
        if (keyOf != null && (key == null || !key.equals(keyOf.apply(record)))) {
            throw new IllegalArgumentException("the record's id does not match its key");
        }
        return record;
    }

    /** A topic keyed by a string id that its values carry. */
    public static <V> TopicContract<String, V> keyedBy(Class<V> type, Function<V, String> keyOf) {
        return new TopicContract<>(type, Function.identity(), keyOf);
    }
}
