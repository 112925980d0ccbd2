package dev.nicoffload.testing.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself, against real QEMU and the real test kernel: status, separate output streams,
 * the writable run directory, and bounded failure for hung and panicking guests. Each test is one
 * short boot (about 5 s under TCG).
 */
class NetdevsimVmTest {
    @TempDir
    Path scratch;

    @Test
    void returnsTheCommandsStatusAndKeepsStdoutAndStderrApart() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path share = Files.createDirectories(scratch.resolve("project"));
        Files.writeString(share.resolve("input.txt"), "from the host\n");
        VmResult r = NetdevsimVm.runScript("""
                cat input.txt
                printf 'no newline at the end' >&2
                id -u > "$NICOFFLOAD_RUN_DIR/uid"
                grep -c ' /sys/fs/bpf bpf ' /proc/mounts
                exit 42
                """, share, VmOptions.defaults().withShare(share).withRunDirectory(scratch.resolve("run"))
                .withOutput(out, err).withTimeout(Duration.ofMinutes(3)));
        assertEquals(42, r.exitStatus());
        assertEquals("from the host\n1\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("no newline at the end", err.toString(StandardCharsets.UTF_8));
        assertEquals("0", Files.readString(r.runDirectory().resolve("uid")).strip(), "runs as root, run dir writable");
        assertTrue(r.bootTime().compareTo(Duration.ZERO) > 0);
        assertTrue(Files.readString(r.consoleLog()).contains("nicoffload-guest: running command 1"));
    }

    @Test
    void runsManyCommandsInOneBootWithoutMixingTheirOutput() {
        try (NetdevsimVm vm = NetdevsimVm.start(VmOptions.defaults().withRunDirectory(scratch.resolve("run"))
                .withTimeout(Duration.ofMinutes(3)))) {
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            ByteArrayOutputStream second = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            VmResult a = vm.execScript("echo 1 7 > /sys/bus/netdevsim/new_device && printf one", Path.of("/"), first, err, Duration.ofMinutes(1));
            VmResult b = vm.execScript("ls /sys/bus/netdevsim/devices; exit 3", Path.of("/"), second, err, Duration.ofMinutes(1));
            assertEquals(0, a.exitStatus());
            assertEquals("one", first.toString(StandardCharsets.UTF_8));
            assertEquals(3, b.exitStatus());
            assertEquals("netdevsim1\n", second.toString(StandardCharsets.UTF_8), "state persists between commands of one boot");
            assertEquals("", err.toString(StandardCharsets.UTF_8));
            assertEquals(a.bootTime(), b.bootTime());
        }
    }

    @Test
    void killsAGuestWhoseCommandHangsAtTheTimeoutAndShowsTheConsole() {
        NetdevsimVm vm = NetdevsimVm.start(VmOptions.defaults().withRunDirectory(scratch.resolve("run")).withTimeout(Duration.ofMinutes(5)));
        long start = System.nanoTime();
        VmException e = assertThrows(VmException.class, () -> vm.execScript("sleep 600", Path.of("/"),
                OutputStream.nullOutputStream(), OutputStream.nullOutputStream(), Duration.ofSeconds(5)));
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 30, "bounded: gave up after " + seconds + " s");
        assertTrue(e.getMessage().contains("did not finish within 5 s"), e.getMessage());
        assertTrue(e.consoleTail().contains("nicoffload-guest: running command 1"), e.consoleTail());
        assertThrows(IllegalStateException.class, () -> vm.exec(List.of("true"), Path.of("/")), "a killed VM refuses further commands");
        vm.close();
    }

    @Test
    void reportsAKernelPanicWithTheConsoleTail() {
        VmException e = assertThrows(VmException.class, () -> NetdevsimVm.run(
                List.of("sh", "-c", "echo 1 > /proc/sys/kernel/sysrq; echo c > /proc/sysrq-trigger"), Path.of("/"),
                VmOptions.defaults().withRunDirectory(scratch.resolve("run")).withTimeout(Duration.ofMinutes(3))
                        .withOutput(OutputStream.nullOutputStream(), OutputStream.nullOutputStream())));
        assertTrue(e.getMessage().contains("panicked"), e.getMessage());
        assertTrue(e.consoleTail().contains("Kernel panic"), e.consoleTail());
    }

    @Test
    void refusesAMissingKernelWithTheCommandThatBuildsOne() {
        VmException e = assertThrows(VmException.class, () -> {
            System.setProperty(KernelImage.PROPERTY, scratch.resolve("no-such-bzImage").toString());
            try {
                KernelImage.locate();
            } finally {
                System.clearProperty(KernelImage.PROPERTY);
            }
        });
        assertTrue(e.getMessage().contains("not a readable file"), e.getMessage());
    }
}
