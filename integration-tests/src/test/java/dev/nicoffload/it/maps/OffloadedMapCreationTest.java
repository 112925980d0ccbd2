package dev.nicoffload.it.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.BpfOperationException;
import dev.nicoffload.offload.error.NotSupportedException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.netdevsim.PortKnob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What netdevsim refuses when an offloaded map is created (offload-facts §1.7, §3.3, test plan step 7). */
@ExtendWith(NetdevsimCleanup.class)
class OffloadedMapCreationTest {

    private static final int ENOMEM = 12;
    private static final int EINVAL = 22;
    private static final int EOPNOTSUPP = 95;
    private static final int BPF_F_NO_PREALLOC = 1;

    @Test
    void moreThanTwoEntriesIsOutOfMemory() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            BpfOperationException e = assertThrows(BpfOperationException.class,
                    () -> OffloadMap.create(eth, MapType.HASH, "three", Codecs.u32(), Codecs.u64(), 3));
            assertEquals(ENOMEM, e.errno());
            assertTrue(e.getMessage().contains("max_entries 3"), e.getMessage());
            OffloadMap.create(eth, MapType.ARRAY, "two", Codecs.u32(), Codecs.u64(), 2).close();
        }
    }

    @Test
    void mapFlagsAreInvalid() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            OffloadException e = assertThrows(OffloadException.class,
                    () -> BpfMap.create("noprealloc", MapType.HASH, 4, 8, 2, BPF_F_NO_PREALLOC, eth));
            assertEquals(EINVAL, e.errno());
        }
    }

    @Test
    void onlyHashAndArrayCanBeOffloadedAndArrayKeysAreFourBytes() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            assertEquals(EINVAL, assertThrows(OffloadException.class,
                    () -> BpfMap.create("lru", MapType.LRU_HASH, 4, 8, 2, 0, eth)).errno());
            assertEquals(EINVAL, assertThrows(OffloadException.class,
                    () -> BpfMap.create("wide", MapType.ARRAY, 8, 8, 2, 0, eth)).errno());
        }
    }

    @Test
    void portRefusingMapsGivesNotSupportedForStandaloneMapsAndObjectLoads() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            port.set(PortKnob.BPF_MAP_ACCEPT, false);
            OffloadDevice eth = NicOffload.device(port.name());
            NotSupportedException e = assertThrows(NotSupportedException.class,
                    () -> OffloadMap.create(eth, MapType.HASH, "refused", Codecs.u32(), Codecs.u64(), 2));
            assertEquals(EOPNOTSUPP, e.errno());
            // §4.5 #58: the map program cannot be offloaded either, its maps cannot be created
            OffloadException load = assertThrows(OffloadException.class,
                    () -> NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth)).close());
            assertEquals(EOPNOTSUPP, load.errno(), load.getMessage());
            port.set(PortKnob.BPF_MAP_ACCEPT, true);
            NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth)).close();
        }
    }
}
