package dev.nicoffload.it.leaks;

import dev.nicoffload.it.offload.Await;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many load/attach/detach/close cycles and map element operations in one JVM leave its open fds and native
 * memory (NMT) where they started, and handles left unclosed are reclaimed by the Cleaner, which
 * logs once. Runs {@link LeakProbe} in a child JVM with native memory tracking.
 *
 * <p>CI size: {@code nicoffload.leaks.cycles} (default 300) and {@code nicoffload.leaks.mapOps}
 * (default 10000) of the guest JVM. The full size (10,000 cycles, 100,000 map operations)
 * runs the probe by hand in the VM, see docs/reliability.md.
 */
@ExtendWith(NetdevsimCleanup.class)
class LeakTest {

    /** Native memory the JDK itself may still commit after warm-up (code cache, symbols), KB. */
    private static final long NON_HEAP_SLACK_KB = 4096;
    /** The FFM/malloc category: an arena leaked per cycle would exceed this many KB. */
    private static final long OTHER_SLACK_KB = 256;

    @Test
    void cyclesLeaveFdsAndNativeMemoryWhereTheyStartedAndTheCleanerReclaimsForgottenHandles() throws Exception {
        int cycles = Integer.getInteger("nicoffload.leaks.cycles", 300);
        int mapOps = Integer.getInteger("nicoffload.leaks.mapOps", 10_000);
        int forget = 20;
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "-XX:NativeMemoryTracking=summary", "-Xms96m", "-Xmx96m",
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), LeakProbe.class.getName(),
                    dev.port(0).name(), Integer.toString(cycles), Integer.toString(mapOps), Integer.toString(forget)))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "probe hung");
            assertEquals(0, p.exitValue(), out);
            System.out.println("[leaks] " + out.lines().filter(l -> l.contains("=")).toList());
            Map<String, Long> v = values(out);
            assertEquals(v.get("fd.before"), v.get("fd.after"), "open fds after " + cycles + " cycles:\n" + out);
            assertTrue(v.get("nmt.other.after") - v.get("nmt.other.before") <= OTHER_SLACK_KB, out);
            assertTrue(v.get("nmt.nonheap.after") - v.get("nmt.nonheap.before") <= NON_HEAP_SLACK_KB, out);
            assertTrue(v.get("cleaner.fd.forgotten") >= v.get("cleaner.fd.before") + forget,
                    "each forgotten object holds at least its program's fd:\n" + out);
            assertEquals(v.get("cleaner.fd.before"), v.get("cleaner.fd.after"), "the cleaner closed every forgotten fd:\n" + out);
            assertEquals(1, out.lines().filter(l -> l.contains("was not closed; released by the cleaner")).count(),
                    "the cleaner logs once:\n" + out);
            assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "nothing left bound on the device");
        }
    }

    private static Map<String, Long> values(String out) {
        Map<String, Long> v = new HashMap<>();
        Matcher m = Pattern.compile("([a-z.]+)=(\\d+)").matcher(out);
        while (m.find()) {
            v.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return v;
    }
}
