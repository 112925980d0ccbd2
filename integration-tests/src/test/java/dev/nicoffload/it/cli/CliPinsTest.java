package dev.nicoffload.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.it.offload.Await;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code load --pin} is all or nothing and says so; pin directories it makes are the caller's, mode
 * 0700; a pin path outside bpffs, or a directory given as a pin, gets a message saying exactly that.
 */
@ExtendWith(NetdevsimCleanup.class)
class CliPinsTest {

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static boolean mapsOn(NetdevsimPort port) {
        return Inventory.maps().stream().anyMatch(m -> m.ifindex() == port.ifindex());
    }

    @Test
    void aFailedPinUndoesEveryPinAndUnloads() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            Path obj = SampleObjects.XDP_MAPS_RET0.writeTo(Files.createTempDirectory("cli"));
            Path dir = Path.of("/sys/fs/bpf/cli-all-or-nothing-" + dev.id());
            try {
                // maps/array is taken (a directory of that name): the third pin fails with EEXIST
                Files.createDirectories(dir.resolve("maps/array"));
                CliRun load = CliRun.of("load", obj.toString(), "--dev", port.name(), "--pin", dir.toString());
                assertEquals(1, load.status(), load.out() + load.err());
                assertTrue(load.err().contains("pin map array at " + dir.resolve("maps/array") + " failed: EEXIST (File exists)"), load.err());
                assertTrue(load.err().contains("undone: removed " + dir.resolve("maps/htab") + ", " + dir.resolve("progs/xdp_maps_ret0")
                        + ", " + dir.resolve("progs")), load.err());
                assertTrue(load.err().contains("the loaded object was closed: nothing was left behind"), load.err());
                assertEquals("", load.out(), "no pin reported as made");
                assertFalse(Files.exists(dir.resolve("progs")), "the directory it made is gone");
                assertFalse(Files.exists(dir.resolve("maps/htab")), "the map pin it made is gone");
                assertTrue(Files.isDirectory(dir.resolve("maps/array")), "what was there before stays");
                assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "the program was unloaded: " + dev.boundPrograms());
                assertTrue(Await.until(() -> !mapsOn(port)), "the device's maps were freed");
            } finally {
                deleteTree(dir);
            }
        }
    }

    @Test
    void pinDirectoriesItMakesAreTheCallersAndOwnerOnly() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            Path obj = SampleObjects.XDP_PASS.writeTo(Files.createTempDirectory("cli"));
            Path dir = Path.of("/sys/fs/bpf/cli-modes-" + dev.id() + "/obj");
            try {
                CliRun load = CliRun.of("load", obj.toString(), "--dev", dev.port(0).name(), "--pin", dir.toString());
                assertEquals(0, load.status(), load.err());
                for (Path d : new Path[] {dir.getParent(), dir, dir.resolve("progs"), dir.resolve("maps")}) {
                    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d)), d.toString());
                    assertEquals(0, Files.getAttribute(d, "unix:uid"), d.toString());
                }
            } finally {
                deleteTree(dir.getParent());
            }
        }
    }

    @Test
    void aPinPathOutsideBpffsIsRefusedAsSuchAndLeavesNoDirectory() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            Path obj = SampleObjects.XDP_PASS.writeTo(Files.createTempDirectory("cli"));
            Path outside = Path.of("/tmp/cli-not-bpffs-" + dev.id());
            CliRun load = CliRun.of("load", obj.toString(), "--dev", dev.port(0).name(), "--pin", outside.resolve("obj").toString());
            assertEquals(2, load.status(), load.out() + load.err());
            assertTrue(load.err().startsWith("load: not a bpffs path: " + outside.resolve("obj") + " (/tmp is on a tmpfs file system"), load.err());
            assertFalse(load.err().contains("CAP_SYS_ADMIN"), load.err());
            assertFalse(load.err().contains("\tat "), "no stack trace: " + load.err());
            assertFalse(Files.exists(outside), "no directory left behind");
            assertEquals(0, dev.boundPrograms().size(), "nothing loaded");
        }
    }

    @Test
    void aDirectoryGivenAsAPinSaysSo() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            CliRun attach = CliRun.of("attach", "xdp", "--dev", dev.port(0).name(), "/sys/fs/bpf");
            assertEquals(2, attach.status(), attach.out() + attach.err());
            assertEquals("attach: /sys/fs/bpf is a directory, not a pinned program\n", attach.err());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Program.openPinned(Path.of("/sys/fs/bpf")));
            assertEquals("/sys/fs/bpf is a directory, not a pinned program", e.getMessage());
        }
    }

    @Test
    void attachSaysWhatItAttached() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            Path obj = SampleObjects.XDP_PASS.writeTo(Files.createTempDirectory("cli"));
            Path dir = Path.of("/sys/fs/bpf/cli-attach-" + dev.id());
            try {
                assertEquals(0, CliRun.of("load", obj.toString(), "--dev", port.name(), "--pin", dir.toString()).status());
                Path pin = dir.resolve("progs/xdp_pass");
                String tag;
                int id;
                try (Program p = Program.openPinned(pin)) {
                    id = p.id();
                    tag = p.info().tag();
                }
                CliRun attach = CliRun.of("attach", "xdp", "--dev", port.name(), "--mode", "hw", pin.toString());
                assertEquals(0, attach.status(), attach.err());
                assertEquals("attached program xdp_pass (id " + id + ", tag " + tag + ", bound to " + port.name() + ") from " + pin
                        + " to " + port.name() + " xdp hw\n", attach.out());
                assertEquals(id, port.offloadedProgramId());
                assertEquals(0, CliRun.of("detach", "xdp", "--dev", port.name(), "--mode", "hw").status());
            } finally {
                deleteTree(dir);
            }
        }
    }
}
