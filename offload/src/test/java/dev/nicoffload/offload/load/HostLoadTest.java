package dev.nicoffload.offload.load;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.testsupport.BpfC;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host loads (no device) against the host kernel: needs root and bpf(). */
class HostLoadTest {

    static byte[] pass;
    static byte[] maps;

    @BeforeAll
    static void compile() {
        pass = BpfC.compile("xdp_pass", BpfC.XDP_PASS);
        maps = BpfC.compile("xdp_maps", BpfC.XDP_MAPS);
    }

    @Test
    void hostLoadGivesProgramWithKernelInfoAndNoDevice() {
        try (LoadedObject obj = ObjectLoader.load(pass, LoadOptions.host().withObjectName("pass"))) {
            Program p = obj.program("xdp_pass");
            assertEquals(ProgramType.XDP, p.type());
            ProgramInfo info = p.info();
            assertTrue(info.id() > 0);
            assertEquals("xdp_pass", info.name());
            assertEquals(ProgramType.XDP, info.type());
            assertEquals(0, info.ifindex());
            assertFalse(info.deviceBound());
            assertTrue(info.ifname().isEmpty());
            assertTrue(info.xlatedLength() > 0);
            assertTrue(info.verifiedInstructions() > 0);
            assertEquals(16, info.tag().length());
            assertTrue(p.jitedImage().length > 0, "host x86 JIT image");
            assertTrue(Inventory.programs().stream().anyMatch(i -> i.id() == info.id()));
        }
    }

    @Test
    void mapsAreFoundByNameWithTheirShapeAndProgramMapIds() {
        try (LoadedObject obj = ObjectLoader.load(new ByteArrayInputStream(maps), LoadOptions.host())) {
            BpfMap htab = obj.map("htab");
            BpfMap counts = obj.map("counts");
            assertEquals(MapType.HASH, htab.type());
            assertEquals(MapType.ARRAY, counts.type());
            assertEquals(4, htab.keySize());
            assertEquals(8, htab.valueSize());
            assertEquals(2, counts.maxEntries());
            assertTrue(htab.device().isEmpty());
            MapInfo mi = counts.info();
            assertEquals("counts", mi.name());
            assertFalse(mi.offloaded());
            ProgramInfo pi = obj.program("xdp_maps").info();
            assertTrue(pi.mapIds().contains(htab.id()));
            assertTrue(pi.mapIds().contains(counts.id()));
            assertTrue(Inventory.maps().stream().anyMatch(m -> m.id() == mi.id()));
        }
    }

    @Test
    void loadFromPathNamesTheObjectAfterTheFile() throws Exception {
        Path dir = Files.createTempDirectory("nicoffload-load");
        Path o = dir.resolve("xdp_pass.o");
        Files.write(o, pass);
        try (LoadedObject obj = ObjectLoader.load(o, LoadOptions.host())) {
            assertEquals("xdp_pass", obj.name());
            assertTrue(obj.device().isEmpty());
        } finally {
            Files.delete(o);
            Files.delete(dir);
        }
    }

    @Test
    void closedObjectRefusesUseWithIllegalState() {
        LoadedObject obj = ObjectLoader.load(pass, LoadOptions.host());
        Program p = obj.program("xdp_pass");
        obj.close();
        obj.close(); // idempotent
        assertTrue(p.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, p::fd);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, p::info);
        assertThrows(IllegalStateException.class, () -> obj.program("xdp_pass"));
    }

    @Test
    void unknownNamesAreArgumentErrorsListingWhatExists() {
        try (LoadedObject obj = ObjectLoader.load(maps, LoadOptions.host())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> obj.program("nope"));
            assertTrue(e.getMessage().contains("xdp_maps"), e.getMessage());
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> obj.map("nope"));
            assertTrue(m.getMessage().contains("htab"), m.getMessage());
        }
    }

    @Test
    void bytesThatAreNotElfAreRefusedBeforeAnyNativeCall() {
        assertThrows(IllegalArgumentException.class, () -> ObjectLoader.load(new byte[100], LoadOptions.host()));
        assertThrows(NullPointerException.class, () -> ObjectLoader.load((byte[]) null, LoadOptions.host()));
    }
}
