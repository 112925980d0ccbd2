package com.example.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.testing.junit.NetdevsimTest;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.nio.file.Files;
import java.nio.file.Path;
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
            assertEquals(nic.ifindex(), obj.map("packets").device().orElseThrow().ifindex(), "the map lives on the NIC");
            assertEquals(2, obj.map("packets").maxEntries());
            try (XdpAttachment hw = counter.attachXdp(nic, XdpMode.HW)) {
                assertEquals(counter.info().id(), port.offloadedProgramId());
            }
        }
    }
}
