package dev.nicoffload.maps;

/**
 * One key and its value, as read from a map.
 *
 * @param key   the key
 * @param value the value read with it
 * @param <K>   key type
 * @param <V>   value type
 */
public record MapEntry<K, V>(K key, V value) {
}
