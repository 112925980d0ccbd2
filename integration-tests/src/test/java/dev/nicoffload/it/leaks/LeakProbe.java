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
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Run by {@link LeakTest} in a child JVM started with {@code -XX:NativeMemoryTracking=summary}:
 * load/attach/detach/close cycles and map element operations (update, lookup, get-next-key) on a
 * netdevsim port, then handles left unclosed
 * for the Cleaner. Prints {@code key=value} lines for the test to check.
 */
public final class LeakProbe {

    private static final Pattern TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern HEAP = Pattern.compile("Java Heap \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern OTHER = Pattern.compile("- +Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");

    private LeakProbe() {
    }

    /** args: interface name, load/attach cycles, map operations, handles to forget. */
    public static void main(String[] args) throws Exception {
        OffloadDevice eth = NicOffload.device(args[0]);
        int cycles = Integer.parseInt(args[1]);
        int mapOps = Integer.parseInt(args[2]);
        int forget = Integer.parseInt(args[3]);

        run(eth, Math.max(20, cycles / 10), Math.max(200, mapOps / 10)); // warm-up: classes, JIT, arenas' pools
        settle();
        long fdBefore = openFds();
        long[] nmtBefore = nmt();
        long start = System.nanoTime();
        run(eth, cycles, mapOps);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        settle();
        long fdAfter = openFds();
        long[] nmtAfter = nmt();
        System.out.println("cycles=" + cycles + " mapOps=" + mapOps + " ms=" + elapsedMs);
        System.out.println("fd.before=" + fdBefore + " fd.after=" + fdAfter);
        System.out.println("nmt.nonheap.before=" + nmtBefore[0] + " nmt.nonheap.after=" + nmtAfter[0]);
        System.out.println("nmt.other.before=" + nmtBefore[1] + " nmt.other.after=" + nmtAfter[1]);

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

    private static void settle() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    /** NMT summary: committed KB outside the Java heap, and the "Other" category (FFM arenas, malloc'd by the JDK) committed KB. */
    private static long[] nmt() throws Exception {
        String out = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        Matcher total = TOTAL.matcher(out);
        Matcher heap = HEAP.matcher(out);
        Matcher other = OTHER.matcher(out);
        if (!total.find() || !heap.find() || !other.find()) {
            throw new AssertionError("unexpected NMT output:\n" + out);
        }
        return new long[] {Long.parseLong(total.group(2)) - Long.parseLong(heap.group(2)), Long.parseLong(other.group(2))};
    }
}
