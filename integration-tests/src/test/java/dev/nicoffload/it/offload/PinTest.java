package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pinning offloaded programs and maps in bpffs and opening them again. */
@ExtendWith(NetdevsimCleanup.class)
class PinTest {

    private static final Path BPFFS = Path.of("/sys/fs/bpf");

    @Test
    void pinnedProgramAndMapOpenAgainAfterTheObjectIsClosed() throws Exception {
        Path progPin = BPFFS.resolve("nicoffload-it-prog");
        Path mapPin = BPFFS.resolve("nicoffload-it-map");
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            int progId;
            int mapId;
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth))) {
                Program p = obj.program("xdp_maps_ret0");
                progId = p.id();
                mapId = obj.map("array").id();
                p.pin(progPin);
                obj.map("array").pin(mapPin);
            }
            try (Program pinned = Program.openPinned(progPin); BpfMap map = BpfMap.openPinned(mapPin)) {
                assertEquals(progId, pinned.id());
                assertEquals("xdp_maps_ret0", pinned.name());
                assertEquals(eth, pinned.boundDevice().orElseThrow());
                assertEquals(mapId, map.id());
                assertEquals(eth, map.device().orElseThrow());
                assertEquals(4, map.keySize());
                try (XdpAttachment a = pinned.attachXdp(eth, XdpMode.HW)) {
                    assertEquals(progId, dev.port(0).offloadedProgramId());
                }
                IllegalArgumentException wrongKind = assertThrows(IllegalArgumentException.class, () -> BpfMap.openPinned(progPin));
                assertTrue(wrongKind.getMessage().contains("not a pinned map"), wrongKind.getMessage());
                pinned.close();
                assertThrows(IllegalStateException.class, pinned::fd);
            } finally {
                Files.deleteIfExists(progPin);
                Files.deleteIfExists(mapPin);
            }
        }
    }

    @Test
    void pinnedProgramOfARemovedDeviceIsGone() throws Exception {
        Path progPin = BPFFS.resolve("nicoffload-it-orphan");
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        try {
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(),
                    LoadOptions.offloadTo(OffloadDevice.byName(dev.port(0).name())))) {
                obj.program("xdp_pass").pin(progPin);
            }
            dev.close();
            DeviceGoneException e = assertThrows(DeviceGoneException.class, () -> Program.openPinned(progPin));
            assertEquals("No such device", e.getMessage().replaceAll(".*\\((.*)\\).*", "$1"));
        } finally {
            Files.deleteIfExists(progPin);
        }
    }

    @Test
    void pinPathsMustBeAbsoluteAndMissingPinsAreReported() {
        assertThrows(IllegalArgumentException.class, () -> Program.openPinned(Path.of("relative/pin")));
        OffloadException e = assertThrows(OffloadException.class, () -> Program.openPinned(BPFFS.resolve("nicoffload-none")));
        assertEquals("ENOENT", e.errnoName());
    }
}
