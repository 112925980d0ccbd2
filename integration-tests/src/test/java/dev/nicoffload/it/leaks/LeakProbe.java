package dev.nicoffload.it.leaks;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.UpdateMode;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;

import javax.management.ObjectName;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SegmentAllocator;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Run by {@link LeakTest} in a child JVM started with {@code -XX:NativeMemoryTracking=summary}:
 * after a warm-up, two measured rounds of load/attach/detach/close cycles and map element operations
 * (update, lookup, get-next-key) on a netdevsim port, with open fds, NMT and glibc's malloc statistics
 * taken before, between and after them; then handles left unclosed for the Cleaner. Prints
 * {@code key=value} lines for the test to check.
 */
public final class LeakProbe {

    private LeakProbe() {
    }

    /** args: interface name, load/attach cycles, map operations, handles to forget. */
    public static void main(String[] args) throws Throwable {
        OffloadDevice eth = NicOffload.device(args[0]);
        int cycles = Integer.parseInt(args[1]);
        int mapOps = Integer.parseInt(args[2]);
        int forget = Integer.parseInt(args[3]);

        run(eth, Math.max(20, cycles / 10), Math.max(200, mapOps / 10)); // warm-up: classes, JIT, arenas' pools
        // Two measured rounds: a leak grows in both, while the JDK's own one-off growth (code cache,
        // compiler arenas, symbols) lands in one of them at most.
        Snapshot before = Snapshot.take();
        long start = System.nanoTime();
        run(eth, cycles, mapOps);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        Snapshot mid = Snapshot.take();
        run(eth, cycles, mapOps);
        Snapshot after = Snapshot.take();
        System.out.println("cycles=" + cycles + " mapOps=" + mapOps + " ms=" + elapsedMs + " (per round; two rounds)");
        System.out.println("fd.before=" + before.fds + " fd.mid=" + mid.fds + " fd.after=" + after.fds);
        System.out.println("nmt.nonheap.before=" + before.nonHeapKb() + " nmt.nonheap.mid=" + mid.nonHeapKb()
                + " nmt.nonheap.after=" + after.nonHeapKb());
        System.out.println("nmt.other.before=" + before.nmtKb("Other") + " nmt.other.mid=" + mid.nmtKb("Other")
                + " nmt.other.after=" + after.nmtKb("Other"));
        System.out.println("malloc.before=" + before.mallocUntrackedKb() + " malloc.mid=" + mid.mallocUntrackedKb()
                + " malloc.after=" + after.mallocUntrackedKb());
        System.out.println("nmt.changes.round1: " + Snapshot.changes(before, mid));
        System.out.println("nmt.changes.round2: " + Snapshot.changes(mid, after));

        long fdBeforeForget = openFds();
        for (int i = 0; i < forget; i++) {
            forgetOne(eth);
        }
        long fdForgotten = openFds();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (openFds() > fdBeforeForget && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        System.out.println("cleaner.fd.before=" + fdBeforeForget + " cleaner.fd.forgotten=" + fdForgotten
                + " cleaner.fd.after=" + openFds());
        System.out.println("probe=done");
    }

    private static void run(OffloadDevice eth, int cycles, int mapOps) {
        for (int i = 0; i < cycles; i++) {
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth));
                 XdpAttachment hw = obj.program("xdp_pass").attachXdp(eth, XdpMode.HW)) {
                if (!hw.isAttached()) {
                    throw new AssertionError("not attached in cycle " + i);
                }
            }
        }
        try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth))) {
            OffloadMap<Integer, Long> htab = OffloadMap.of(obj, "htab", Codecs.u32(), Codecs.u64());
            OffloadMap<Integer, Long> array = OffloadMap.of(obj, "array", Codecs.u32(), Codecs.u64());
            htab.put(0, 0L);
            htab.put(1, 0L);
            for (int i = 0; i < mapOps; i++) {
                int key = (i / 5) & 1; // five operations on one key, then the other
                boolean ok = switch (i % 5) {
                    case 0 -> {
                        htab.put(key, (long) i);
                        yield true;
                    }
                    case 1 -> htab.lookup(key).orElseThrow() == i - 1;
                    case 2 -> {
                        array.update(key, (long) i, UpdateMode.EXIST);
                        yield true;
                    }
                    case 3 -> array.get(key) == i - 1;
                    default -> array.nextKey(null).orElseThrow() == 0 && htab.nextKey(0).orElseThrow() == 1 && htab.nextKey(1).isEmpty();
                };
                if (!ok) {
                    throw new AssertionError("map operation " + i + " read back something else");
                }
            }
        }
    }

    private static void forgetOne(OffloadDevice eth) {
        Program p = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth)).program("xdp_pass");
        if (p.id() <= 0) {
            throw new AssertionError();
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /**
     * Open fds, NMT's committed KB per category, and the bytes glibc's malloc has handed out (what NMT
     * cannot see: libbpf's own allocations), taken after a few GCs.
     */
    private record Snapshot(long fds, Map<String, Long> nmt, long mallocKb) {
        private static final Pattern CATEGORY = Pattern.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");
        private static final Pattern TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB\\s+malloc: (\\d+)KB");
        /** glibc's {@code struct mallinfo2 mallinfo2(void)}: ten size_t fields. */
        private static final StructLayout MALLINFO2 = MemoryLayout.structLayout(
                JAVA_LONG.withName("arena"), JAVA_LONG.withName("ordblks"), JAVA_LONG.withName("smblks"),
                JAVA_LONG.withName("hblks"), JAVA_LONG.withName("hblkhd"), JAVA_LONG.withName("usmblks"),
                JAVA_LONG.withName("fsmblks"), JAVA_LONG.withName("uordblks"), JAVA_LONG.withName("fordblks"),
                JAVA_LONG.withName("keepcost"));
        private static final MethodHandle MALLINFO = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().find("mallinfo2").orElseThrow(), FunctionDescriptor.of(MALLINFO2));

        static Snapshot take() throws Throwable {
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(50);
            }
            long fds = openFds();
            String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            Map<String, Long> nmt = new TreeMap<>();
            Matcher m = CATEGORY.matcher(out);
            while (m.find()) {
                nmt.put(m.group(1).strip(), Long.parseLong(m.group(2)));
            }
            Matcher total = TOTAL.matcher(out);
            if (!total.find() || !nmt.containsKey("Java Heap") || !nmt.containsKey("Other")) {
                throw new AssertionError("unexpected NMT output:\n" + out);
            }
            nmt.put("Total", Long.parseLong(total.group(1)));
            nmt.put("malloc", Long.parseLong(total.group(2)));
            long mallocBytes;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = (MemorySegment) MALLINFO.invokeExact((SegmentAllocator) arena);
                mallocBytes = info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("uordblks")))
                        + info.get(JAVA_LONG, MALLINFO2.byteOffset(MemoryLayout.PathElement.groupElement("hblkhd")));
            }
            return new Snapshot(fds, nmt, mallocBytes / 1024);
        }

        long nmtKb(String category) {
            return nmt.getOrDefault(category, 0L);
        }

        /** Committed KB outside the Java heap and the JIT's own categories (its code cache and arenas). */
        long nonHeapKb() {
            return nmtKb("Total") - nmtKb("Java Heap") - nmtKb("Code") - jitMallocKb();
        }

        /** KB malloc'd by the JIT compilers for their work (pooled arena chunks keep it a while). */
        long jitMallocKb() {
            return nmtKb("Compiler") + nmtKb("Arena Chunk");
        }

        /** glibc malloc in use that the JVM did not ask for (libbpf's and libc's own), KB. */
        long mallocUntrackedKb() {
            return mallocKb - nmtKb("malloc");
        }

        /** NMT categories that moved by more than 256 KB from {@code a} to {@code b}, for the report. */
        static String changes(Snapshot a, Snapshot b) {
            StringBuilder s = new StringBuilder();
            for (String c : b.nmt.keySet()) {
                long d = b.nmtKb(c) - a.nmtKb(c);
                if (Math.abs(d) > 256 && !c.equals("Total") && !c.equals("malloc")) {
                    s.append(c).append(' ').append(d > 0 ? "+" : "").append(d).append(" KB; ");
                }
            }
            return s.isEmpty() ? "none over 256 KB" : s.toString();
        }
    }
}
