package io.keyhook.common.contract;

import java.util.function.Function;

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

    /** A topic keyed by a string id that its values carry. */
    public static <V> TopicContract<String, V> keyedBy(Class<V> type, Function<V, String> keyOf) {
        return new TopicContract<>(type, Function.identity(), keyOf);
    }
}
