package dev.nicoffload.maps.codec;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import dev.nicoffload.maps.codec.CodecsTestRecords.Flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Codecs on heap buffers: sizes, byte order, C struct layout of records. */
public class CodecsTest {

    /** {@code struct { __u8 flag; __u64 count; }}: the u64 is aligned to 8, so 16 bytes. */
    public record Flagged(boolean flag, long count) {
    }

    /** Not encodable: a String component. */
    public record Named(String name) {
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.nativeOrder());
    }

    private static <T> byte[] encode(Codec<T> codec, T value, int size) {
        ByteBuffer b = buffer(size);
        codec.encode(value, b);
        return b.array();
    }

    @Test
    void u32AndU64AreHostOrderAndShowUnsigned() {
        assertEquals(4, Codecs.u32().size());
        assertEquals(8, Codecs.u64().size());
        // x86-64 is little-endian: least significant byte first
        assertEquals("78563412", HexFormat.of().formatHex(encode(Codecs.u32(), 0x12345678, 4)));
        assertEquals("0100000000000080", HexFormat.of().formatHex(encode(Codecs.u64(), 0x8000000000000001L, 8)));
        assertEquals(-1, Codecs.u32().decode(ByteBuffer.wrap(new byte[] {-1, -1, -1, -1}).order(ByteOrder.nativeOrder())));
        assertEquals("4294967295", Codecs.u32().format(-1));
        assertEquals("18446744073709551615", Codecs.u64().format(-1L));
    }

    @Test
    void bytesOfTheWrongLengthNameBothLengths() {
        Codec<byte[]> any = Codecs.bytes();
        assertEquals(Codec.MAP_SIZE, any.size());
        assertArrayEquals(new byte[] {1, 2, 3, 4}, encode(any, new byte[] {1, 2, 3, 4}, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encode(any, new byte[3], 4));
        assertTrue(e.getMessage().contains("3 bytes") && e.getMessage().contains("4 bytes"), e.getMessage());
        assertEquals("0x0a000001", any.format(new byte[] {10, 0, 0, 1}));
        assertThrows(IllegalArgumentException.class, () -> Codecs.bytes(0));
        assertEquals(6, Codecs.bytes(6).size());
    }

    @Test
    void recordIsLaidOutAsTheCStructWithZeroPadding() {
        Codec<Flow> flow = Codecs.record(Flow.class);
        assertEquals(12, flow.size());
        byte[] bytes = encode(flow, new Flow(0x0a000001, 0x0a000002, (short) 0x1f90, (byte) 6), 12);
        assertEquals("0100000a" + "0200000a" + "901f" + "06" + "00", HexFormat.of().formatHex(bytes));
        assertEquals(new Flow(0x0a000001, 0x0a000002, (short) 0x1f90, (byte) 6),
                flow.decode(ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder())));

        Codec<Flagged> flagged = Codecs.record(Flagged.class);
        assertEquals(16, flagged.size());
        byte[] f = encode(flagged, new Flagged(true, 5), 16);
        assertEquals("01" + "00".repeat(7) + "0500000000000000", HexFormat.of().formatHex(f));
        assertEquals(new Flagged(true, 5), flagged.decode(ByteBuffer.wrap(f).order(ByteOrder.nativeOrder())));
    }

    @Test
    void recordWithANonPrimitiveComponentIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codecs.record(Named.class));
        assertTrue(e.getMessage().contains("'name'") && e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void privateRecordIsReachedThroughTheCallersLookup() {
        record Pair(int a, int b) {
        }
        assertThrows(IllegalArgumentException.class, () -> Codecs.record(Pair.class));
        Codec<Pair> pair = Codecs.record(java.lang.invoke.MethodHandles.lookup(), Pair.class);
        assertEquals(8, pair.size());
        assertEquals(new Pair(7, 9), pair.decode(ByteBuffer.wrap(encode(pair, new Pair(7, 9), 8)).order(ByteOrder.nativeOrder())));
    }

    @Test
    void handWrittenCodecTakesAFewLines() {
        record Stats(long packets, long bytes) {
        }
        Codec<Stats> stats = Codec.of(16, (s, out) -> out.putLong(s.packets()).putLong(s.bytes()),
                in -> new Stats(in.getLong(), in.getLong()));
        byte[] b = encode(stats, new Stats(3, 1500), 16);
        assertEquals(new Stats(3, 1500), stats.decode(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder())));
        assertThrows(IllegalArgumentException.class, () -> Codec.of(0, (s, o) -> { }, i -> null));
    }
}
