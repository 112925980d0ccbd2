package dev.nicoffload.maps.codec;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The ready-made codecs: unsigned 32- and 64-bit numbers, raw bytes, and records of primitives
 * laid out like the C struct with the same members.
 */
public final class Codecs {

    private static final Codec<Integer> U32 = new Codec<>() {
        @Override
        public int size() {
            return 4;
        }

        @Override
        public void encode(Integer value, ByteBuffer out) {
            out.putInt(0, value);
        }

        @Override
        public Integer decode(ByteBuffer in) {
            return in.getInt(0);
        }

        @Override
        public String format(Integer value) {
            return Integer.toUnsignedString(value);
        }

        @Override
        public String toString() {
            return "u32";
        }
    };

    private static final Codec<Long> U64 = new Codec<>() {
        @Override
        public int size() {
            return 8;
        }

        @Override
        public void encode(Long value, ByteBuffer out) {
            out.putLong(0, value);
        }

        @Override
        public Long decode(ByteBuffer in) {
            return in.getLong(0);
        }

        @Override
        public String format(Long value) {
            return Long.toUnsignedString(value);
        }

        @Override
        public String toString() {
            return "u64";
        }
    };

    private Codecs() {
    }

    /**
     * A {@code __u32} in host byte order as an {@link Integer}; values of 2^31 and above read as
     * negative ints (use {@link Integer#toUnsignedLong}).
     */
    public static Codec<Integer> u32() {
        return U32;
    }

    /** A {@code __u64} in host byte order as a {@link Long} (unsigned values above 2^63 read negative). */
    public static Codec<Long> u64() {
        return U64;
    }

    /**
     * Raw bytes of whatever size the map has: each array must have exactly that length, else
     * {@link IllegalArgumentException} naming both lengths (before any system call).
     */
    public static Codec<byte[]> bytes() {
        return new BytesCodec(Codec.MAP_SIZE);
    }

    /**
     * Raw bytes of exactly {@code size} bytes.
     *
     * @throws IllegalArgumentException when {@code size} is not positive
     */
    public static Codec<byte[]> bytes(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive: " + size);
        }
        return new BytesCodec(size);
    }

    /**
     * A record whose components are primitives ({@code byte, short, char, int, long, float,
     * double, boolean}), laid out in component order with each member aligned to its size and the
     * total padded to the largest alignment, as C lays out the struct with the same members:
     * {@code record Flow(int src, int dst, short port, byte proto)} is a 12-byte
     * {@code struct { __u32 src; __u32 dst; __u16 port; __u8 proto; }}. Padding is written as zeros.
     *
     * @throws IllegalArgumentException when {@code type} is not a record, has a component of
     *                                  another type, or its canonical constructor or accessors are not accessible
     */
    public static <R extends Record> Codec<R> record(Class<R> type) {
        return RecordCodec.of(type, MethodHandles.publicLookup());
    }

    /**
     * {@link #record(Class)} for a record that is not public: {@code lookup} (your
     * {@code MethodHandles.lookup()}) grants access to its constructor and accessors.
     */
    public static <R extends Record> Codec<R> record(MethodHandles.Lookup lookup, Class<R> type) {
        return RecordCodec.of(type, java.util.Objects.requireNonNull(lookup, "lookup"));
    }

    private static final class BytesCodec implements Codec<byte[]> {
        private final int size;

        BytesCodec(int size) {
            this.size = size;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public void encode(byte[] value, ByteBuffer out) {
            if (value.length != out.remaining()) {
                throw new IllegalArgumentException("byte[] of " + value.length + " bytes given where the map takes "
                        + out.remaining() + " bytes");
            }
            out.put(0, value);
        }

        @Override
        public byte[] decode(ByteBuffer in) {
            byte[] out = new byte[in.remaining()];
            in.get(0, out);
            return out;
        }

        @Override
        public String format(byte[] value) {
            return "0x" + HexFormat.of().formatHex(value);
        }

        @Override
        public String toString() {
            return size == MAP_SIZE ? "bytes" : "bytes[" + size + "]";
        }
    }
}
