package dev.nicoffload.maps.codec;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Turns a Java value into the bytes of a map key or value and back. Buffers handed to a codec are
 * in native (host) byte order, start at position 0 and have exactly the map's key or value size
 * remaining; bytes the codec leaves unwritten are zero, so C padding is deterministic.
 * <p>
 * Ready-made codecs are in {@link Codecs}; a codec of your own takes a few lines:
 * <pre>{@code
 * record Stats(long packets, long bytes) {}
 * Codec<Stats> STATS = Codec.of(16,
 *         (s, out) -> out.putLong(s.packets()).putLong(s.bytes()),
 *         in -> new Stats(in.getLong(), in.getLong()));
 * }</pre>
 * or, for a record of primitives laid out as C would lay out the same struct,
 * {@code Codecs.record(Stats.class)}.
 * Codecs must be stateless (they are called from many threads) and must not call map operations.
 *
 * @param <T> the Java type
 */
public interface Codec<T> {

    /** {@link #size()} of a codec that takes whatever size the map has (checked per value). */
    int MAP_SIZE = 0;

    /** The encoded size in bytes, or {@link #MAP_SIZE} when any size is accepted and checked per value. */
    int size();

    /**
     * Writes {@code value} into {@code out}.
     *
     * @throws IllegalArgumentException when the value cannot be encoded in {@code out.remaining()} bytes
     */
    void encode(T value, ByteBuffer out);

    /** Reads a value from {@code in}. */
    T decode(ByteBuffer in);

    /** How a value is shown in error messages (keys name the failing key); {@code String.valueOf} by default. */
    default String format(T value) {
        return String.valueOf(value);
    }

    /**
     * A codec of fixed {@code size} from two functions.
     *
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    static <T> Codec<T> of(int size, BiConsumer<? super T, ByteBuffer> encoder, Function<ByteBuffer, ? extends T> decoder) {
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(decoder, "decoder");
        if (size <= 0) {
            throw new IllegalArgumentException("codec size must be positive: " + size);
        }
        return new Codec<>() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public void encode(T value, ByteBuffer out) {
                encoder.accept(value, out);
            }

            @Override
            public T decode(ByteBuffer in) {
                return decoder.apply(in);
            }

            @Override
            public String toString() {
                return "Codec[" + size + " B]";
            }
        };
    }
}
