package dev.nicoffload.it.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One offloaded map used by several programs: allowed on the ports of one device (one ASIC, one
 * {@code bpf_offload_dev}), refused across devices by the verifier (offload-facts §1.7, §4.7 #62).
 */
@ExtendWith(NetdevsimCleanup.class)
class SharedMapTest {

    private static final int EINVAL = 22;

    @Test
    void aStandaloneMapIsSharedByProgramsOnTwoPortsOfOneDevice() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(2)) {
            NetdevsimPort p0 = dev.port(0);
            NetdevsimPort p1 = dev.port(1);
            OffloadDevice eth0 = NicOffload.device(p0.name());
            OffloadDevice eth1 = NicOffload.device(p1.name());
            try (OffloadMap<Integer, Long> packets = OffloadMap.create(eth0, MapType.ARRAY, "packets", Codecs.u32(),
                    Codecs.u64(), 2);
                 LoadedObject a = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(),
                         LoadOptions.offloadTo(eth0).withMap("packets", packets.handle()));
                 LoadedObject b = NicOffload.load(SampleObjects.XDP_COUNTER.bytes(),
                         LoadOptions.offloadTo(eth1).withMap("packets", packets.handle()))) {
                int mapId = packets.info().id();
                Program pa = a.program("xdp_counter");
                Program pb = b.program("xdp_counter");
                assertTrue(pa.info().mapIds().contains(mapId), "program on port 0 uses the map");
                assertTrue(pb.info().mapIds().contains(mapId), "program on port 1 uses the same map");
                assertEquals(mapId, a.map("packets").id());
                assertEquals(mapId, b.map("packets").id());
                try (XdpAttachment ha = pa.attachXdp(eth0, XdpMode.HW); XdpAttachment hb = pb.attachXdp(eth1, XdpMode.HW)) {
                    assertEquals(pa.id(), p0.offloadedProgramId());
                    assertEquals(pb.id(), p1.offloadedProgramId());
                }
                // a write through the map is seen through the other object's handle
                OffloadMap.of(b, "packets", Codecs.u32(), Codecs.u64()).put(1, 0L);
                assertEquals(0L, OffloadMap.of(a, "packets", Codecs.u32(), Codecs.u64()).get(1));
            }
        }
    }

    @Test
    void anObjectsMapIsReusedByAnotherObjectOnTheSameDevice() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(2);
             LoadedObject first = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(),
                     LoadOptions.offloadTo(NicOffload.device(dev.port(0).name())));
             LoadedObject second = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(),
                     LoadOptions.offloadTo(NicOffload.device(dev.port(1).name())).withMap("htab", first.map("htab")))) {
            assertEquals(first.map("htab").id(), second.map("htab").id());
            assertTrue(first.map("array").id() != second.map("array").id(), "maps not named are created anew");
            OffloadMap.of(first, "htab", Codecs.u32(), Codecs.u64()).put(1, 9L);
            assertEquals(9L, OffloadMap.of(second, "htab", Codecs.u32(), Codecs.u64()).get(1));
        }
    }

    @Test
    void aMapOfOneDeviceIsRefusedForAProgramBoundToAnother() {
        try (NetdevsimDevice devA = NetdevsimDevice.create(1); NetdevsimDevice devB = NetdevsimDevice.create(1)) {
            OffloadDevice a = NicOffload.device(devA.port(0).name());
            OffloadDevice b = NicOffload.device(devB.port(0).name());
            try (OffloadMap<Integer, Long> mapOfA = OffloadMap.create(a, MapType.ARRAY, "packets", Codecs.u32(),
                    Codecs.u64(), 2)) {
                VerifierRejectedException e = assertThrows(VerifierRejectedException.class,
                        () -> NicOffload.load(SampleObjects.XDP_COUNTER.bytes(),
                                LoadOptions.offloadTo(b).withMap("packets", mapOfA.handle())).close());
                assertEquals(EINVAL, e.errno());
                assertTrue(e.verifierLog().orElseThrow().contains("offload device mismatch between prog and map"),
                        e.getMessage());
            }
        }
    }

    @Test
    void reusingAMapTheObjectDoesNotHaveIsRefusedBeforeLoading() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (OffloadMap<Integer, Long> m = OffloadMap.create(eth, MapType.ARRAY, "other", Codecs.u32(), Codecs.u64(), 2)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> NicOffload.load(SampleObjects.XDP_COUNTER.bytes(),
                                LoadOptions.offloadTo(eth).withMap("nosuchmap", m.handle())).close());
                assertTrue(e.getMessage().contains("nosuchmap") && e.getMessage().contains("packets"), e.getMessage());
            }
        }
    }
}
