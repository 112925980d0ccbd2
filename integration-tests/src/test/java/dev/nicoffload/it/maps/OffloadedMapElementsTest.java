package dev.nicoffload.it.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.CounterWord;
import dev.nicoffload.maps.MapEntry;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.UpdateMode;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.InvalidMapOperationException;
import dev.nicoffload.offload.error.KeyExistsException;
import dev.nicoffload.offload.error.KeyNotFoundException;
import dev.nicoffload.offload.error.MapFullException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.error.WriteAllFailedException;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Element operations on maps offloaded to netdevsim (offload-facts §3.3 Maps, §4.6, test plan
 * step 7): at most 2 entries, ARRAY pre-populated with keys 0 and 1, slot order, ENOENT / EEXIST /
 * E2BIG / EINVAL / ENODEV as typed exceptions.
 */
@ExtendWith(NetdevsimCleanup.class)
class OffloadedMapElementsTest {

    private static final int ENOENT = 2;
    private static final int E2BIG = 7;
    private static final int EEXIST = 17;
    private static final int ENODEV = 19;
    private static final int EINVAL = 22;

    private static LoadedObject loadMapsSample(NetdevsimPort port) {
        return NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(NicOffload.device(port.name())));
    }

    private static OffloadMap<Integer, Long> view(LoadedObject obj, String name) {
        return OffloadMap.of(obj, name, Codecs.u32(), Codecs.u64());
    }

    /** The hash map of the sample with both slots used as in §4.6: key 0 → 0, key 1 → 3. */
    private static OffloadMap<Integer, Long> fullHtab(LoadedObject obj) {
        OffloadMap<Integer, Long> htab = view(obj, "htab");
        htab.put(0, 0L);
        htab.put(1, 3L);
        return htab;
    }

    @Test
    void arrayStartsWithKeys0And1ZeroedAndHashEmpty() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            assertEquals(List.of(new MapEntry<>(0, 0L), new MapEntry<>(1, 0L)), view(obj, "array").dump());
            assertEquals(List.of(), view(obj, "htab").dump());
        }
    }

    @Test
    void updateWithAnyExistAndNoExistGivesTheDevicesAnswers() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            for (String name : List.of("htab", "array")) {
                OffloadMap<Integer, Long> m = view(obj, name);
                // §4.6 #50: keys 0 and 1 with values 0 and 3 succeed; key 3 fails with E2BIG for both maps
                m.put(0, 0L);
                m.put(1, 3L);
                MapFullException full = assertThrows(MapFullException.class, () -> m.put(3, 1L), name);
                assertEquals(E2BIG, full.errno());
                assertEquals(E2BIG, assertThrows(MapFullException.class, () -> m.update(3, 1L, UpdateMode.NO_EXIST)).errno());
                // #51: EXIST on 0 and 1 succeeds, on key 3 ENOENT
                m.update(0, 0L, UpdateMode.EXIST);
                m.update(1, 3L, UpdateMode.EXIST);
                KeyNotFoundException absent = assertThrows(KeyNotFoundException.class, () -> m.update(3, 1L, UpdateMode.EXIST));
                assertEquals(ENOENT, absent.errno());
                assertTrue(absent.getMessage().contains("No such file or directory"), absent.getMessage());
                // #52: NOEXIST on 0 and 1 fails with EEXIST
                for (int k : new int[] {0, 1}) {
                    KeyExistsException exists = assertThrows(KeyExistsException.class, () -> m.update(k, 5L, UpdateMode.NO_EXIST));
                    assertEquals(EEXIST, exists.errno());
                    assertTrue(exists.getMessage().contains("File exists"), exists.getMessage());
                }
                // #53: dump in slot order
                assertEquals(List.of(new MapEntry<>(0, 0L), new MapEntry<>(1, 3L)), m.dump(), name);
                assertEquals(Optional.of(3L), m.lookup(1));
                assertEquals(Optional.empty(), m.lookup(5), "lookup of a missing key is ENOENT, shown as empty");
            }
        }
    }

    @Test
    void getNextKeyWithNullUnknownAndLastKey() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            OffloadMap<Integer, Long> htab = fullHtab(obj);
            for (OffloadMap<Integer, Long> m : List.of(htab, view(obj, "array"))) {
                assertEquals(Optional.of(0), m.nextKey(null), "no key: the first");
                assertEquals(Optional.of(1), m.nextKey(0));
                assertEquals(Optional.empty(), m.nextKey(1), "after the last key: ENOENT");
                assertEquals(Optional.of(0), m.nextKey(42), "unknown key: the first");
            }
        }
    }

    @Test
    void deleteFromHashThenAgainIsKeyNotFoundAndFromArrayInvalid() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            OffloadMap<Integer, Long> htab = fullHtab(obj);
            htab.delete(0);
            htab.delete(1);
            assertEquals(List.of(), htab.dump());
            assertEquals(ENOENT, assertThrows(KeyNotFoundException.class, () -> htab.delete(0)).errno());

            OffloadMap<Integer, Long> array = view(obj, "array");
            InvalidMapOperationException invalid = assertThrows(InvalidMapOperationException.class, () -> array.delete(0));
            assertEquals(EINVAL, invalid.errno());
            assertEquals(2, array.dump().size(), "array slots stay");
        }
    }

    @Test
    void mapInfoReportsTheDeviceAndItsNetns() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            NetdevsimPort port = dev.port(0);
            OffloadMap<Integer, Long> m = view(obj, "htab");
            MapInfo info = m.info();
            assertTrue(info.offloaded());
            assertEquals(port.ifindex(), info.ifindex());
            assertEquals(Optional.of(port.name()), info.ifname());
            Path ns = Path.of("/proc/self/ns/net");
            assertEquals(((Number) Files.getAttribute(ns, "unix:ino")).longValue(), info.netnsIno());
            assertEquals(((Number) Files.getAttribute(ns, "unix:dev")).longValue(), info.netnsDev());
            assertEquals(MapType.HASH, info.type());
            assertEquals(2, info.maxEntries());
            assertEquals(0, info.flags());
            assertEquals(port.name(), m.device().orElseThrow().name());
        }
    }

    @Test
    void standaloneMapCreatedOnTheDeviceBehavesLikeAnObjectsMap() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = NicOffload.device(port.name());
            try (OffloadMap<Integer, Long> m = OffloadMap.create(eth, MapType.HASH, "standalone", Codecs.u32(), Codecs.u64(), 2)) {
                assertEquals(port.ifindex(), m.info().ifindex());
                m.numeric().put(7, 70);
                m.put(8, 80L);
                assertEquals(70, m.numeric().get(7));
                assertEquals(E2BIG, assertThrows(MapFullException.class, () -> m.numeric().put(9, 90)).errno());
                assertEquals(List.of(new MapEntry<>(7, 70L), new MapEntry<>(8, 80L)), m.dump());
            }
        }
    }

    @Test
    void iterationOverAMapWhoseDeviceVanishedEndsWithDeviceGone() {
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        OffloadDevice eth = NicOffload.device(dev.port(0).name());
        try (OffloadMap<Integer, Long> m = OffloadMap.create(eth, MapType.HASH, "doomed", Codecs.u32(), Codecs.u64(), 2)) {
            m.put(1, 10L);
            m.put(2, 20L);
            Iterator<MapEntry<Integer, Long>> it = m.iterator();
            assertEquals(new MapEntry<>(1, 10L), it.next());
            dev.close();
            DeviceGoneException gone = assertThrows(DeviceGoneException.class, it::hasNext);
            assertEquals(ENODEV, gone.errno());
            assertFalse(it.hasNext(), "the iteration has ended");
            assertEquals(ENODEV, assertThrows(DeviceGoneException.class, () -> m.lookup(1)).errno());
            assertEquals(ENODEV, assertThrows(DeviceGoneException.class, () -> m.put(1, 1L)).errno());
            assertThrows(DeviceGoneException.class, () -> m.stream().count());
        }
    }

    @Test
    void writeAllOnTheDeviceRollsBackWhenTheMapFills() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            OffloadMap<Integer, Long> htab = view(obj, "htab");
            htab.put(0, 5L);
            LinkedHashMap<Integer, Long> batch = new LinkedHashMap<>();
            batch.put(0, 50L);  // replaces
            batch.put(1, 60L);  // new: the second slot
            batch.put(2, 70L);  // no third slot: E2BIG
            WriteAllFailedException e = assertThrows(WriteAllFailedException.class, () -> htab.writeAll(batch));
            assertEquals("2", e.failedKey());
            assertEquals(E2BIG, e.errno());
            assertTrue(e.rollbackComplete(), e.getMessage());
            assertEquals(List.of(new MapEntry<>(0, 5L)), htab.dump(), "as before the call");

            batch.remove(2);
            htab.writeAll(batch);
            assertEquals(List.of(new MapEntry<>(0, 50L), new MapEntry<>(1, 60L)), htab.dump());
        }
    }

    @Test
    void counterWordsOfAnOffloadedMapStartAtZeroAndRefuseOtherValues() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1);
             LoadedObject obj = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(),
                     LoadOptions.offloadTo(NicOffload.device(dev.port(0).name())))) {
            OffloadMap<Integer, Long> packets = OffloadMap.of(obj, "packets", Codecs.u32(), Codecs.u64())
                    .withCounters(CounterWord.u64(0));
            assertEquals(0, packets.counters().get(0));
            assertEquals(0, packets.counters().sum(0));
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> packets.put(0, 5L));
            assertTrue(refused.getMessage().contains("counters must start at zero"), refused.getMessage());
            assertThrows(IllegalArgumentException.class, () -> packets.numeric().put(1, 5));
            packets.put(1, 0L);
            packets.counters().resetAll();
            assertEquals(List.of(new MapEntry<>(0, 0L), new MapEntry<>(1, 0L)), packets.dump());
        }
    }

    @Test
    void wrongSizesAreRefusedBeforeTheDeviceIsAsked() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = loadMapsSample(dev.port(0))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OffloadMap.of(obj, "htab", Codecs.u64(), Codecs.u64()));
            assertTrue(e.getMessage().contains("8 bytes") && e.getMessage().contains("4-byte keys"), e.getMessage());
            OffloadMap<byte[], byte[]> raw = OffloadMap.of(obj, "htab", Codecs.bytes(), Codecs.bytes());
            assertThrows(IllegalArgumentException.class, () -> raw.put(new byte[8], new byte[8]));
            assertEquals(List.of(), raw.dump(), "nothing reached the device");
        }
    }
}
