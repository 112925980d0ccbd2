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
 * memory (NMT, and glibc's malloc for what libbpf allocates) where they started, and handles left unclosed
 * are reclaimed by the Cleaner, which logs once. Runs {@link LeakProbe} in a child JVM with native memory
 * tracking, for two measured rounds after a warm-up: fds and FFM arenas must not move in either round, and
 * memory outside the heap must not grow in both (a leak grows every round; the JDK's own one-off growth,
 * such as its code cache or compiler arenas, does not).
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
    /** glibc malloc in use, KB (libbpf's allocations, which NMT cannot see). */
    private static final long MALLOC_SLACK_KB = 512;

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
            System.out.println("[leaks] " + out.lines().filter(l -> l.contains("=") || l.startsWith("nmt.changes")).toList());
            Map<String, Long> v = values(out);
            assertTrue(v.get("fd.before").equals(v.get("fd.mid")) && v.get("fd.mid").equals(v.get("fd.after")),
                    "open fds after each round of " + cycles + " cycles:\n" + out);
            assertTrue(Math.max(growth(v, "nmt.other", "before", "mid"), growth(v, "nmt.other", "mid", "after")) <= OTHER_SLACK_KB,
                    "FFM arenas (NMT Other) grew in a round:\n" + out);
            // a leak grows in both rounds; the JDK's own one-off growth lands in one of them at most
            assertTrue(Math.min(growth(v, "nmt.nonheap", "before", "mid"), growth(v, "nmt.nonheap", "mid", "after")) <= NON_HEAP_SLACK_KB,
                    "native memory outside the heap grew in both rounds:\n" + out);
            assertTrue(Math.min(growth(v, "malloc", "before", "mid"), growth(v, "malloc", "mid", "after")) <= MALLOC_SLACK_KB,
                    "malloc'd memory (libbpf's included) grew in both rounds:\n" + out);
            assertTrue(v.get("cleaner.fd.forgotten") >= v.get("cleaner.fd.before") + forget,
                    "each forgotten object holds at least its program's fd:\n" + out);
            assertEquals(v.get("cleaner.fd.before"), v.get("cleaner.fd.after"), "the cleaner closed every forgotten fd:\n" + out);
            assertEquals(1, out.lines().filter(l -> l.contains("was not closed; released by the cleaner")).count(),
                    "the cleaner logs once:\n" + out);
            assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "nothing left bound on the device");
        }
    }

    private static long growth(Map<String, Long> v, String key, String from, String to) {
        return v.get(key + "." + to) - v.get(key + "." + from);
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
