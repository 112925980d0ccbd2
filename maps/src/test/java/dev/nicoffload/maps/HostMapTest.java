package dev.nicoffload.maps;

import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.maps.codec.CodecsTestRecords.Flow;
import dev.nicoffload.offload.error.InvalidMapOperationException;
import dev.nicoffload.offload.error.KeyExistsException;
import dev.nicoffload.offload.error.KeyNotFoundException;
import dev.nicoffload.offload.error.MapFullException;
import dev.nicoffload.offload.error.MapOperationException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.BpfMap;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Typed access to host maps (no device) on the host kernel: needs root and bpf(). */
class HostMapTest {

    private static OffloadMap<Integer, Long> hash(int maxEntries) {
        return OffloadMap.createOnHost(MapType.HASH, "htab", Codecs.u32(), Codecs.u64(), maxEntries);
    }

    private static OffloadMap<Integer, Long> array(int maxEntries) {
        return OffloadMap.createOnHost(MapType.ARRAY, "array", Codecs.u32(), Codecs.u64(), maxEntries);
    }

    private static void assertErrno(int errno, OffloadException e) {
        assertEquals(errno, e.errno(), e.getMessage());
    }

    @Test
    void codecSizeDifferentFromTheMapIsRefusedNamingBothSizes() {
        try (BpfMap m = BpfMap.create("sizes", MapType.HASH, 4, 8, 2, 0, null)) {
            IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                    () -> OffloadMap.of(m, Codecs.u64(), Codecs.u64()));
            assertTrue(key.getMessage().contains("encodes 8 bytes") && key.getMessage().contains("4-byte keys"), key.getMessage());
            IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                    () -> OffloadMap.of(m, Codecs.u32(), Codecs.u32()));
            assertTrue(value.getMessage().contains("encodes 4 bytes") && value.getMessage().contains("8-byte values"),
                    value.getMessage());

            OffloadMap<byte[], byte[]> raw = OffloadMap.of(m, Codecs.bytes(), Codecs.bytes());
            IllegalArgumentException perValue = assertThrows(IllegalArgumentException.class,
                    () -> raw.put(new byte[] {1, 0, 0, 0}, new byte[7]));
            assertTrue(perValue.getMessage().contains("7 bytes") && perValue.getMessage().contains("8 bytes"),
                    perValue.getMessage());
            assertEquals(0, raw.dump().size(), "nothing was written");
        }
    }

    @Test
    void updateModesGiveTheKernelsAnswersAsTypedExceptions() {
        try (OffloadMap<Integer, Long> m = hash(2)) {
            m.put(0, 0L);
            m.update(1, 3L, UpdateMode.NO_EXIST);
            assertEquals(Optional.of(0L), m.lookup(0));
            assertEquals(3L, m.get(1));
            m.update(0, 7L, UpdateMode.EXIST);
            assertEquals(7L, m.get(0));

            KeyExistsException exists = assertThrows(KeyExistsException.class, () -> m.update(1, 9L, UpdateMode.NO_EXIST));
            assertErrno(Errno.EEXIST, exists);
            assertTrue(exists.getMessage().contains("key 1") && exists.getMessage().contains("NO_EXIST"), exists.getMessage());
            KeyNotFoundException absent = assertThrows(KeyNotFoundException.class, () -> m.update(3, 9L, UpdateMode.EXIST));
            assertErrno(Errno.ENOENT, absent);
            MapFullException full = assertThrows(MapFullException.class, () -> m.put(3, 1L));
            assertErrno(Errno.E2BIG, full);
            assertEquals(3L, m.get(1), "failed updates changed nothing");

            assertEquals(Optional.empty(), m.lookup(3));
            assertThrows(KeyNotFoundException.class, () -> m.get(3));
            m.delete(0);
            assertEquals(Optional.empty(), m.lookup(0));
            assertErrno(Errno.ENOENT, assertThrows(KeyNotFoundException.class, () -> m.delete(0)));
        }
    }

    @Test
    void arraySlotsAlwaysExistSoDeleteIsInvalidAndIndexesPastTheEndAreFull() {
        try (OffloadMap<Integer, Long> m = array(2)) {
            assertEquals(List.of(new MapEntry<>(0, 0L), new MapEntry<>(1, 0L)), m.dump());
            assertErrno(Errno.EINVAL, assertThrows(InvalidMapOperationException.class, () -> m.delete(0)));
            assertErrno(Errno.EEXIST, assertThrows(KeyExistsException.class, () -> m.update(1, 5L, UpdateMode.NO_EXIST)));
            assertErrno(Errno.E2BIG, assertThrows(MapFullException.class, () -> m.put(2, 5L)));
            m.update(1, 5L, UpdateMode.EXIST);
            assertEquals(List.of(new MapEntry<>(0, 0L), new MapEntry<>(1, 5L)), m.dump());
        }
    }

    @Test
    void nextKeyStartsAtNullRestartsOnUnknownAndEndsAfterTheLast() {
        try (OffloadMap<Integer, Long> a = array(2); OffloadMap<Integer, Long> h = hash(4)) {
            assertEquals(Optional.of(0), a.nextKey(null));
            assertEquals(Optional.of(1), a.nextKey(0));
            assertEquals(Optional.empty(), a.nextKey(1));
            assertEquals(Optional.of(0), a.nextKey(7), "an index past the end restarts at the first");

            assertEquals(Optional.empty(), h.nextKey(null), "empty map");
            h.put(10, 1L);
            h.put(20, 2L);
            int first = h.nextKey(null).orElseThrow();
            int second = h.nextKey(first).orElseThrow();
            assertEquals(Set.of(10, 20), Set.of(first, second));
            assertEquals(Optional.empty(), h.nextKey(second));
            assertEquals(Optional.of(first), h.nextKey(99), "an unknown key restarts at the first");
        }
    }

    @Test
    void iterationStreamAndBoundedDumpSeeEveryEntryOnce() {
        try (OffloadMap<Integer, Long> m = hash(8)) {
            for (int k = 1; k <= 5; k++) {
                m.put(k, k * 100L);
            }
            assertEquals(Set.of(1, 2, 3, 4, 5), m.stream().map(MapEntry::key).collect(Collectors.toSet()));
            for (MapEntry<Integer, Long> e : m) {
                assertEquals(e.key() * 100L, e.value());
            }
            assertEquals(2, m.dump(2).size());
            assertEquals(5, m.dump().size());
            assertEquals(0, m.dump(0).size());
            assertThrows(IllegalArgumentException.class, () -> m.dump(-1));
        }
    }

    @Test
    void mapInfoDescribesAHostMap() {
        try (OffloadMap<Integer, Long> m = hash(2)) {
            MapInfo info = m.info();
            assertTrue(info.id() > 0);
            assertEquals(MapType.HASH, info.type());
            assertEquals("htab", info.name());
            assertEquals(4, info.keySize());
            assertEquals(8, info.valueSize());
            assertEquals(0, info.ifindex());
            assertFalse(info.offloaded());
            assertTrue(m.device().isEmpty());
        }
    }

    @Test
    void writeAllLandsEveryEntry() {
        try (OffloadMap<Integer, Long> m = hash(4)) {
            m.put(1, 10L);
            m.writeAll(java.util.Map.of(1, 11L, 2, 22L, 3, 33L));
            assertEquals(Set.of(new MapEntry<>(1, 11L), new MapEntry<>(2, 22L), new MapEntry<>(3, 33L)), Set.copyOf(m.dump()));
        }
    }

    @Test
    void writeAllFailingPartWayRestoresOldValuesAndDeletesNewKeys() {
        try (OffloadMap<Integer, Long> m = hash(3)) {
            m.put(1, 10L);
            m.put(2, 20L);
            java.util.LinkedHashMap<Integer, Long> batch = new java.util.LinkedHashMap<>();
            batch.put(1, 11L);   // replaces
            batch.put(3, 33L);   // new: fills the last slot
            batch.put(4, 44L);   // new: no slot left -> E2BIG
            batch.put(5, 55L);   // never tried
            var e = assertThrows(dev.nicoffload.offload.error.WriteAllFailedException.class, () -> m.writeAll(batch));
            assertEquals("4", e.failedKey());
            assertErrno(Errno.E2BIG, e);
            assertTrue(e.getCause() instanceof MapFullException);
            assertTrue(e.rollbackComplete());
            assertEquals(2, e.undoneWrites());
            assertTrue(e.getMessage().contains("failed at key 4") && e.getMessage().contains("rollback completed"),
                    e.getMessage());
            assertEquals(Set.of(new MapEntry<>(1, 10L), new MapEntry<>(2, 20L)), Set.copyOf(m.dump()), "as before");
        }
    }

    @Test
    void writeAllChecksEveryEntryBeforeWritingAny() {
        try (OffloadMap<Integer, Long> m = hash(4)) {
            OffloadMap<Integer, Long> counted = m.withCounters(CounterWord.u64(0));
            java.util.LinkedHashMap<Integer, Long> batch = new java.util.LinkedHashMap<>();
            batch.put(1, 0L);
            batch.put(2, 5L);
            assertThrows(IllegalArgumentException.class, () -> counted.writeAll(batch));
            assertEquals(0, m.dump().size());
        }
    }

    @Test
    void incompleteRollbackNamesTheKeysLeftBehind() {
        MapFullException cause = new MapFullException(dev.nicoffload.offload.error.Failure.of("update key 4", Errno.E2BIG));
        var e = new dev.nicoffload.offload.error.WriteAllFailedException("write 3 entries to map 'm'", "4", cause, 1,
                List.of("1"));
        assertFalse(e.rollbackComplete());
        assertEquals(List.of("1"), e.unrestoredKeys());
        assertTrue(e.getMessage().contains("rollback INCOMPLETE") && e.getMessage().contains("[1]"), e.getMessage());
        assertTrue(e instanceof MapOperationException);
    }

    @Test
    void countersReadHostEndianResetToZeroAndRefuseNonZeroWrites() {
        try (BpfMap raw = BpfMap.create("stats", MapType.ARRAY, 4, 24, 2, 0, null)) {
            // value: { __u64 packets; __u64 label; __u32 drops; __u32 pad; } with packets and drops as counters
            OffloadMap<Integer, byte[]> plain = OffloadMap.of(raw, Codecs.u32(), Codecs.bytes());
            byte[] v = new byte[24];
            java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.nativeOrder())
                    .putLong(0, 0x0102030405L).putLong(8, 77).putInt(16, 9);
            plain.put(1, v); // what atomic adds would have summed up, written through a view without counters

            OffloadMap<Integer, byte[]> stats = plain.withCounters(CounterWord.u64(0), CounterWord.u32(16));
            AtomicCounters<Integer> c = stats.counters();
            assertEquals(0x0102030405L, c.get(1));
            assertEquals(9, c.get(1, 1));
            assertEquals(0, c.get(0));
            assertEquals(0x0102030405L, c.sum(0));
            c.reset(1);
            assertEquals(0, c.get(1));
            assertEquals(0, c.get(1, 1));
            assertEquals(77, java.nio.ByteBuffer.wrap(plain.get(1)).order(java.nio.ByteOrder.nativeOrder()).getLong(8),
                    "reset keeps the other words");

            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> stats.put(0, v));
            assertTrue(refused.getMessage().contains("counters must start at zero")
                    && refused.getMessage().contains("atomic"), refused.getMessage());
            byte[] zeroCounters = v.clone();
            java.nio.ByteBuffer.wrap(zeroCounters).order(java.nio.ByteOrder.nativeOrder()).putLong(0, 0).putInt(16, 0);
            stats.put(0, zeroCounters);
            assertEquals(77, java.nio.ByteBuffer.wrap(stats.get(0)).order(java.nio.ByteOrder.nativeOrder()).getLong(8));

            assertThrows(IllegalArgumentException.class, () -> plain.withCounters(CounterWord.u64(20)), "outside the value");
            assertThrows(IllegalArgumentException.class, () -> plain.withCounters(CounterWord.u64(0), CounterWord.u32(4)));
            assertThrows(IllegalArgumentException.class, () -> CounterWord.u64(4), "misaligned");
            assertThrows(IllegalStateException.class, plain::counters);
        }
    }

    @Test
    void numericViewTakesPrimitivesAndChecksRanges() {
        try (OffloadMap<Integer, Long> m = hash(4)) {
            NumericMap n = m.numeric();
            n.put(0xffff_ffffL, 5);
            assertEquals(5, n.get(-1), "the same 32 bits");
            assertEquals(5L, m.get(-1));
            assertEquals(-3, n.getOrDefault(8, -3));
            n.update(8, 1, UpdateMode.NO_EXIST);
            assertThrows(KeyExistsException.class, () -> n.update(8, 2, UpdateMode.NO_EXIST));
            n.delete(8);
            assertThrows(KeyNotFoundException.class, () -> n.get(8));
            assertThrows(IllegalArgumentException.class, () -> n.put(0x1_0000_0000L, 1));
            assertThrows(IllegalArgumentException.class, () -> m.withCounters(CounterWord.u64(0)).numeric().put(1, 2));
            NumericMap upperHalfCounts = m.withCounters(CounterWord.u32(4)).numeric();
            upperHalfCounts.put(1, 0xffff_ffffL);
            assertEquals(0xffff_ffffL, n.get(1), "the low word is no counter");
            assertThrows(IllegalArgumentException.class, () -> upperHalfCounts.put(1, 1L << 32));
        }
        try (OffloadMap<byte[], byte[]> wide = OffloadMap.createOnHost(MapType.HASH, "wide", Codecs.bytes(16),
                Codecs.bytes(8), 2)) {
            assertThrows(IllegalArgumentException.class, wide::numeric);
        }
    }

    @Test
    void recordValuesRoundTripThroughTheKernel() {
        try (OffloadMap<Integer, Flow> m = OffloadMap.createOnHost(MapType.HASH, "flows",
                Codecs.u32(), Codecs.record(Flow.class), 2)) {
            var f = new Flow(0x0a000001, 0x0a000002, (short) 443, (byte) 6);
            m.put(7, f);
            assertEquals(f, m.get(7));
            assertEquals(12, m.valueSize());
        }
    }

    @Test
    void aClosedMapRefusesUse() {
        OffloadMap<Integer, Long> m = hash(2);
        m.close();
        assertThrows(IllegalStateException.class, () -> m.lookup(1));
        assertThrows(IllegalStateException.class, () -> m.numeric().put(1, 1));
        m.close(); // idempotent
    }
}
