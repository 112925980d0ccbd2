package dev.nicoffload.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The guest gives kernel-facing tests what they need: root, the test kernel, and its file systems. */
class GuestEnvironmentTest {
    @Test
    void runsAsRootOnTheTestKernel() throws IOException {
        assertEquals("0", uidOfSelf(), "tests run as root");
        assertTrue(Files.readString(Path.of("/proc/version")).contains("6.1.192"), "guest kernel is 6.1.192");
    }

    @Test
    void mountsProcSysDebugfsBpffsAndTmpfs() throws IOException {
        String mounts = Files.readString(Path.of("/proc/mounts"));
        for (String expected : new String[] {" /sys/kernel/debug debugfs ", " /sys/fs/bpf bpf ", " /tmp tmpfs ", " /sys sysfs "}) {
            assertTrue(mounts.contains(expected), "mounted:" + expected + "\n" + mounts);
        }
        assertTrue(Files.isWritable(Path.of("/sys/fs/bpf")), "bpffs is writable");
    }

    @Test
    void hasNetdevsimAndTheSimulatedNfp() {
        assertTrue(Files.isDirectory(Path.of("/sys/bus/netdevsim")), "netdevsim bus present");
        assertTrue(Files.isDirectory(Path.of("/sys/class/net/nfpsim0")), "nfpsim0 present (nfpsim kernel)");
    }

    private static String uidOfSelf() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Uid:")) {
                return line.split("\\s+")[1];
            }
        }
        return "?";
    }
}
