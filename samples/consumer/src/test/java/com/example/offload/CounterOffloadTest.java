package com.example.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.maps.CounterWord;
import dev.nicoffload.maps.MapEntry;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.testing.junit.NetdevsimTest;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a user writes: a test of their own offload code, run by {@code @NetdevsimTest} in the
 * netdevsim guest from a plain {@code mvn verify} on the host.
 */
@NetdevsimTest
class CounterOffloadTest {
    /** The BPF object under test, compiled by clang beside this project (see the pom). */
    private static final Path OBJECT = Path.of(System.getProperty("consumer.bpf.object", "target/bpf/xdp_counter.o"));

    @Test
    void offloadsTheCounterAndItsMapToTheNic(NetdevsimPort port) {
        assertTrue(Files.exists(OBJECT), "compiled BPF object " + OBJECT.toAbsolutePath());
        OffloadDevice nic = NicOffload.device(port.name());
        try (LoadedObject obj = NicOffload.load(OBJECT, LoadOptions.offloadTo(nic))) {
            Program counter = obj.program("xdp_counter");
            assertEquals(port.ifindex(), counter.info().ifindex());
            OffloadMap<Integer, Long> packets = OffloadMap.of(obj, "packets", Codecs.u32(), Codecs.u64())
                    .withCounters(CounterWord.u64(0));
            assertEquals(nic.ifindex(), packets.info().ifindex(), "the map lives on the NIC");
            assertEquals(List.of(0, 1), packets.stream().map(MapEntry::key).toList(), "an offloaded ARRAY holds its 2 slots");
            assertEquals(0L, packets.counters().get(0), "counters start at zero");
            try (XdpAttachment hw = counter.attachXdp(nic, XdpMode.HW)) {
                assertEquals(counter.info().id(), port.offloadedProgramId());
            }
        }
    }
}
