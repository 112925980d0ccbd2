package dev.nicoffload.it.privileges;

import dev.nicoffload.it.cli.CliRun;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16's pin hijack, reproduced: uid 65534 prepares directories in the world-writable bpffs
 * root and plants symbolic links to another program; root's {@code load --pin} and {@code attach}
 * refuse them (ssh's StrictModes rule) instead of pinning there or attaching the wrong program.
 * And {@code devices} as uid 65534 lists the devices and says what the offload probe needs.
 */
@ExtendWith(NetdevsimCleanup.class)
class PinHijackTest {

    private static final List<String> NOBODY = List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "--bounding-set=-all", "--inh-caps=-all");

    @TempDir
    Path tmp;

    /** Runs {@code command} as uid/gid 65534 without capabilities; returns its output, failing on a non-zero status. */
    private static String asNobody(String... command) throws Exception {
        List<String> argv = new ArrayList<>(NOBODY);
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).directory(Path.of("/tmp").toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "hung: " + argv);
        assertEquals(0, p.exitValue(), argv + ": " + out);
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void directoriesAndLinksAnotherUserMadeAreRefused() throws Exception {
        long pid = ProcessHandle.current().pid();
        Path victim = Path.of("/sys/fs/bpf/victim-" + pid);
        Path other = Path.of("/sys/fs/bpf/other-" + pid);
        Path good = Path.of("/sys/fs/bpf/good-" + pid);
        Path planted = Path.of("/sys/fs/bpf/planted-" + pid);
        Path rootLink = Path.of("/sys/fs/bpf/rootlink-" + pid);
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            String eth = port.name();
            Path xdpPass = SampleObjects.XDP_PASS.writeTo(tmp);
            Path xdpCounter = SampleObjects.XDP_COUNTER.writeTo(tmp);

            // 1. uid 65534 prepares the directories root will be told to pin in
            asNobody("mkdir", "-p", victim + "/progs", victim + "/maps");
            CliRun load = CliRun.of("load", xdpPass.toString(), "--dev", eth, "--pin", victim.toString());
            assertEquals(2, load.status(), load.out() + load.err());
            assertEquals("load: refusing " + victim + ": it is owned by uid 65534, not by you (uid 0) or root, so that user"
                    + " could replace the pins in it; nothing was loaded or left behind\n", load.err());
            assertEquals(0, dev.boundPrograms().size(), "nothing was loaded");
            try (Stream<Path> s = Files.list(victim.resolve("progs"))) {
                assertEquals(0, s.count(), "no pin in the other user's directory");
            }

            // 2. root's own pins: the program to attach, and another program to be smuggled in
            assertEquals(0, CliRun.of("load", xdpPass.toString(), "--dev", eth, "--pin", good.toString()).status());
            assertEquals(0, CliRun.of("load", xdpCounter.toString(), "--dev", eth, "--pin", other.toString()).status());
            Path smuggled = other.resolve("progs/xdp_counter");
            int goodId;
            try (Program p = Program.openPinned(good.resolve("progs/xdp_pass"))) {
                goodId = p.id();
            }

            // 3. uid 65534 plants links to the other program: in its own directory, and in the sticky bpffs root
            asNobody("ln", "-s", smuggled.toString(), victim.resolve("progs/xdp_pass").toString());
            asNobody("mkdir", planted.toString());
            asNobody("ln", "-s", smuggled.toString(), planted.resolve("xdp_pass").toString());
            CliRun viaDir = CliRun.of("attach", "xdp", "--dev", eth, "--mode", "hw", victim.resolve("progs/xdp_pass").toString());
            assertEquals(2, viaDir.status(), viaDir.out() + viaDir.err());
            assertTrue(viaDir.err().startsWith("attach: refusing " + victim + ": it is owned by uid 65534"), viaDir.err());
            Path bareLink = Path.of("/sys/fs/bpf/link-" + pid);
            asNobody("ln", "-s", smuggled.toString(), bareLink.toString());
            try {
                CliRun viaLink = CliRun.of("attach", "xdp", "--dev", eth, "--mode", "hw", bareLink.toString());
                assertEquals(2, viaLink.status(), viaLink.out() + viaLink.err());
                assertEquals("attach: refusing " + bareLink + " -> " + smuggled + ": the symbolic link belongs to uid 65534,"
                        + " not to you (uid 0) or root\n", viaLink.err());
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Program.openPinned(bareLink));
                assertTrue(e.getMessage().contains("belongs to uid 65534"), e.getMessage());
            } finally {
                Files.deleteIfExists(bareLink);
            }
            assertEquals(0, port.offloadedProgramId(), "nothing was attached");

            // 4. root's own link is followed, and attach says which program it attached
            Files.createSymbolicLink(rootLink, good.resolve("progs/xdp_pass"));
            CliRun attach = CliRun.of("attach", "xdp", "--dev", eth, "--mode", "hw", rootLink.toString());
            assertEquals(0, attach.status(), attach.err());
            assertTrue(attach.out().startsWith("attached program xdp_pass (id " + goodId + ", tag "), attach.out());
            assertEquals(goodId, port.offloadedProgramId());
            assertEquals(0, CliRun.of("detach", "xdp", "--dev", eth, "--mode", "hw").status());
        } finally {
            Files.deleteIfExists(rootLink);
            for (Path p : List.of(victim, other, good, planted)) {
                deleteTree(p);
            }
        }
    }

    @Test
    void devicesWithoutRootListsWhatItCanAndSaysWhatNeedsRoot() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            List<String> argv = new ArrayList<>(NOBODY);
            argv.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED", "-cp", PrivilegeDropTest.worldReadableClassPath(tmp),
                    "dev.nicoffload.cli.Main", "devices"));
            Process p = new ProcessBuilder(argv).directory(tmp.toFile()).redirectError(tmp.resolve("err").toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), "devices hung");
            String err = Files.readString(tmp.resolve("err"));
            assertEquals(0, p.exitValue(), out + err);
            assertTrue(out.contains(port.ifindex() + ": " + port.name() + "  driver netdevsim  kind netdevsim  offload unknown  ports ["
                    + port.name() + "]"), out);
            assertEquals("devices: whether a device can offload is probed by loading a program bound to it, which needs"
                    + " CAP_BPF and CAP_NET_ADMIN, or CAP_SYS_ADMIN (run as root): listed every device with offload \"unknown\"\n", err);
            assertFalse(err.contains("\tat "), err);
        }
    }
}
