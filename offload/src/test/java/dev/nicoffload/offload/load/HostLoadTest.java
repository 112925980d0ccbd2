package dev.nicoffload.offload.load;

import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.xdp.XdpMode;
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
            assertThrows(IllegalStateException.class, p::deviceImage, "host code is no device image");
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

    private static int loadAndForget() {
        return ObjectLoader.load(pass, LoadOptions.host()).program("xdp_pass").id();
    }

    private static boolean loaded(int id) {
        return Inventory.programs().stream().anyMatch(i -> i.id() == id);
    }

    @Test
    void forgottenObjectIsReclaimedByTheCleaner() throws InterruptedException {
        int id = loadAndForget();
        assertTrue(loaded(id));
        for (int i = 0; i < 200 && loaded(id); i++) {
            System.gc();
            Thread.sleep(25);
        }
        assertFalse(loaded(id), "the cleaner closed the unreachable object and the kernel freed the program");
    }

    @Test
    void aProgramKeepsItsObjectAlive() throws InterruptedException {
        Program p = ObjectLoader.load(pass, LoadOptions.host()).program("xdp_pass");
        int id = p.id();
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertFalse(p.isClosed());
        assertEquals(id, p.info().id());
        assertTrue(loaded(id));
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
    void verifierRejectionCarriesTheLogTheKernelWasAskedFor() {
        byte[] bad = BpfC.compile("xdp_bad", BpfC.XDP_BAD);
        VerifierRejectedException e = assertThrows(VerifierRejectedException.class,
                () -> ObjectLoader.load(bad, LoadOptions.host()));
        assertEquals("EACCES", e.errnoName());
        assertEquals("load program 'xdp_bad'", e.operation());
        String log = e.verifierLog().orElseThrow();
        assertTrue(log.contains("invalid access to packet"), log);
        assertTrue(e.extack().isEmpty());
    }

    @Test
    void attachArgumentsAreCheckedBeforeTheKernelIsAsked() {
        byte[] tc = BpfC.compile("tc_ok", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("tc")
                int tc_ok(struct __sk_buff *skb) { return 0; }
                char _license[] SEC("license") = "GPL";
                """);
        OffloadDevice lo = OffloadDevice.byName("lo");
        try (LoadedObject obj = ObjectLoader.load(tc, LoadOptions.host())) {
            Program p = obj.program("tc_ok");
            assertEquals(ProgramType.SCHED_CLS, p.type());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.attachXdp(lo, XdpMode.SKB));
            assertTrue(e.getMessage().contains("only XDP programs"), e.getMessage());
            assertThrows(NullPointerException.class, () -> p.attachXdp(null, XdpMode.SKB));
        }
        LoadedObject closed = ObjectLoader.load(pass, LoadOptions.host());
        Program p = closed.program("xdp_pass");
        closed.close();
        assertThrows(IllegalStateException.class, () -> p.attachXdp(lo, XdpMode.SKB));
    }

    @Test
    void concurrentFailingLoadsEachGetTheirOwnVerifierLog() throws Exception {
        byte[] badA = BpfC.compile("bad_a", BpfC.XDP_BAD.replace("xdp_bad", "bad_a"));
        byte[] badB = BpfC.compile("bad_b", BpfC.XDP_BAD.replace("xdp_bad", "bad_b").replace("data[0]", "data[1] + 1"));
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                byte[] elf = i % 2 == 0 ? badA : badB;
                results.add(pool.submit(() -> assertThrows(VerifierRejectedException.class,
                        () -> ObjectLoader.load(elf, LoadOptions.host())).operation()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertEquals(i % 2 == 0 ? "load program 'bad_a'" : "load program 'bad_b'", results.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void bytesThatAreNotElfAreRefusedBeforeAnyNativeCall() {
        assertThrows(ObjectFormatException.class, () -> ObjectLoader.load(new byte[100], LoadOptions.host()));
        assertThrows(NullPointerException.class, () -> ObjectLoader.load((byte[]) null, LoadOptions.host()));
    }
}
