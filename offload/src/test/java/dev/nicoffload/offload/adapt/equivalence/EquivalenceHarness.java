package dev.nicoffload.offload.adapt.equivalence;

import dev.nicoffload.ffm.bpf.BpfTestRun;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;
import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.adapt.CounterWord;
import dev.nicoffload.offload.adapt.MapCorrespondence;
import dev.nicoffload.offload.adapt.MapCorrespondence.Kind;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;

/**
 * The adapter's proof that nothing changed (issue 18, item 4): loads an original object and its
 * adapted twin on the HOST (no device binding), runs one program of each with
 * {@code BPF_PROG_TEST_RUN} on the same packets, one packet at a time, on ONE CPU (the running thread
 * is pinned with {@code sched_setaffinity}), and compares after every packet:
 * <ul>
 *   <li>whether the kernel ran it (errno) and the return code;</li>
 *   <li>the packet the program left (bytes and length);</li>
 *   <li>every map, per the adapter's {@link MapCorrespondence}s: {@code SAME} byte for byte;
 *       {@code PERCPU_SUM} the sum over all CPUs of each counter word of the original per-CPU value
 *       equals the adapted shared value's word (modulo 2^width), and the other bytes equal the pinned
 *       CPU's copy; {@code GLOBAL_COUNTERS} the counter words of the original global-data map equal
 *       those of the new one-element ARRAY; {@code RODATA_FOLDED} nothing (the constants are in the
 *       code). An original map without a correspondence is compared with the adapted map of the same
 *       name ({@code SAME}); one without any counterpart is itself a difference.</li>
 * </ul>
 * Maps can be pre-populated identically before the first packet ({@link Prepopulation}): a per-CPU
 * counter of the original then gets values on every CPU, and the adapted map their sum.
 */
public final class EquivalenceHarness {

    /**
     * Maps with at most this many entries (max_entries) are compared after every packet; larger ones
     * (xdp-filter's 65,536-entry per-CPU port table) every {@value #LARGE_MAP_INTERVAL} packets and after
     * the last, since each comparison reads every entry with one system call per key.
     */
    static final int EVERY_PACKET_LIMIT = 4096;
    static final int LARGE_MAP_INTERVAL = 500;

    /** At most this many differences are kept in a result (all are counted). */
    private static final int KEEP = 50;

    private EquivalenceHarness() {
    }

    /**
     * One observed difference.
     *
     * @param packet   the packet index after which it was seen (-1: before the first packet)
     * @param where    {@code errno}, {@code return code}, {@code packet} or {@code map NAME key HEX}
     * @param original what the original gave
     * @param adapted  what the adapted object gave
     */
    public record Difference(int packet, String where, String original, String adapted) {
        @Override
        public String toString() {
            return "packet " + packet + ": " + where + ": original " + original + ", adapted " + adapted;
        }
    }

    /**
     * The comparison of one program.
     *
     * @param program          the program's name
     * @param packets          packets run through both
     * @param packetsExecuted  packets the kernel ran the program on (the rest were refused by
     *                         {@code BPF_PROG_TEST_RUN} itself, e.g. shorter than an Ethernet header, in
     *                         both, with the same errno — or that is a difference)
     * @param mapsCompared     map pairs compared after every packet
     * @param sampledMaps      map pairs larger than {@value #EVERY_PACKET_LIMIT} entries, compared every
     *                         {@value #LARGE_MAP_INTERVAL} packets and after the last instead of after every one
     * @param unreadableMaps   maps kept unchanged whose elements userspace cannot read (perf event
     *                         arrays, XSKMAPs: they hold file descriptors, the program cannot write them)
     * @param differenceCount  all differences seen
     * @param differences      the first {@value #KEEP} of them
     * @param originalReturns  the original's return code per packet (-errno when not run)
     */
    public record Result(String program, int packets, int packetsExecuted, int mapsCompared, List<String> sampledMaps, List<String> unreadableMaps, int differenceCount,
                         List<Difference> differences, List<Long> originalReturns) {
        /** The first difference, if any. */
        public Optional<Difference> first() {
            return differences.stream().findFirst();
        }
    }

    /** One entry to write before the first packet, in the original map's value layout. */
    public record Entry(String originalMap, byte[] key, byte[] value) {
        public Entry {
            Objects.requireNonNull(originalMap);
            key = key.clone();
            value = value.clone();
        }
    }

    /**
     * Entries to write identically (in meaning) into both objects' maps before the first packet.
     *
     * @param entries        the entries
     * @param spreadOverCpus for a per-CPU original: also give the counter words made shared counts on
     *                       the other CPUs (the adapted value gets the sum); false: the other CPUs' copies
     *                       of the counters stay zero and the shared value is the entry's
     */
    public record Prepopulation(List<Entry> entries, boolean spreadOverCpus) {
        /** No entries. */
        public static final Prepopulation NONE = new Prepopulation(List.of());

        public Prepopulation {
            entries = List.copyOf(entries);
        }

        /** Entries spread over the CPUs. */
        public Prepopulation(List<Entry> entries) {
            this(entries, true);
        }
    }

    /** What to compare. */
    public record Run(byte[] original, byte[] adapted, String objectName, String program,
                      List<MapCorrespondence> correspondences, List<byte[]> packets, Prepopulation prepopulation,
                      LongUnaryOperator expectedAdaptedReturn) {
        public Run {
            Objects.requireNonNull(original);
            Objects.requireNonNull(adapted);
            Objects.requireNonNull(objectName);
            Objects.requireNonNull(program);
            correspondences = List.copyOf(correspondences);
            packets = List.copyOf(packets);
            Objects.requireNonNull(prepopulation);
            Objects.requireNonNull(expectedAdaptedReturn);
        }

        /** A run with no pre-populated entries and return codes expected equal. */
        public static Run of(byte[] original, byte[] adapted, String objectName, String program,
                             List<MapCorrespondence> correspondences, List<byte[]> packets) {
            return new Run(original, adapted, objectName, program, correspondences, packets, Prepopulation.NONE, LongUnaryOperator.identity());
        }

        public Run withPrepopulation(Prepopulation p) {
            return new Run(original, adapted, objectName, program, correspondences, packets, p, expectedAdaptedReturn);
        }

        /** The adapted return code expected for each original one (for a stated change of meaning). */
        public Run withReturnMapping(LongUnaryOperator mapping) {
            return new Run(original, adapted, objectName, program, correspondences, packets, prepopulation, mapping);
        }
    }

    /**
     * Fails with a clear message unless the process runs as root (bpf() and BPF_PROG_TEST_RUN need it).
     */
    public static void requireRoot() {
        String uid = "?";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = line.substring(4).strip().split("\\s+")[1]; // effective uid
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/self/status", e);
        }
        if (!uid.equals("0")) {
            throw new IllegalStateException("the adapter's equivalence tests load BPF programs on the host and run them with "
                    + "BPF_PROG_TEST_RUN: they need root (effective uid is " + uid + "); run the build as root, as CI does");
        }
    }

    /** Runs the comparison on a fresh platform thread pinned to one CPU. */
    public static Result compare(Run run) {
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("equivalence-" + run.program()).start(() -> {
            try {
                outcome.set(pinnedCompare(run));
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Object o = outcome.get();
        if (o instanceof RuntimeException e) {
            throw e;
        }
        if (o instanceof Error e) {
            throw e;
        }
        return (Result) o;
    }

    private static Result pinnedCompare(Run run) {
        SysResult here = LibC.currentCpu();
        if (here.failed()) {
            throw new IllegalStateException("sched_getcpu: errno " + here.errno());
        }
        int cpu = here.intValue();
        SysResult pin = LibC.pinCurrentThreadToCpu(cpu);
        if (pin.failed()) {
            throw new IllegalStateException("sched_setaffinity to CPU " + cpu + ": errno " + pin.errno());
        }
        int cpus = HostMaps.possibleCpus();
        // pinned maps would be one map shared by both objects (and the host has no bpffs): pinning off in both
        try (LoadedObject orig = ObjectLoader.load(BtfPinning.withoutPinning(run.original()), LoadOptions.host().withObjectName(run.objectName()));
             LoadedObject adapted = ObjectLoader.load(BtfPinning.withoutPinning(run.adapted()), LoadOptions.host().withObjectName(run.objectName()))) {
            List<Pair> pairs = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            List<Difference> diffs = new ArrayList<>();
            int[] count = {0};
            pair(run, orig, adapted, pairs, unreadable, d -> record(diffs, count, d));
            prepopulate(run, pairs, cpu, cpus);
            int progOrig = orig.program(run.program()).fd();
            int progAdapted = adapted.program(run.program()).fd();
            List<Long> returns = new ArrayList<>();
            int executed = 0;
            for (int i = 0; i < run.packets().size(); i++) {
                byte[] p = run.packets().get(i);
                int capacity = p.length + 512;
                BpfTestRun.Result a = BpfTestRun.runOnce(progOrig, p, capacity);
                BpfTestRun.Result b = BpfTestRun.runOnce(progAdapted, p, capacity);
                if (LibC.currentCpu().intValue() != cpu) {
                    throw new IllegalStateException("the pinned thread left CPU " + cpu);
                }
                returns.add(a.ran() ? a.retval() : -a.errno());
                if (a.errno() != b.errno()) {
                    record(diffs, count, new Difference(i, "errno", String.valueOf(a.errno()), String.valueOf(b.errno())));
                } else if (a.ran()) {
                    executed++;
                    long expected = run.expectedAdaptedReturn().applyAsLong(a.retval()) & 0xffffffffL;
                    if (expected != b.retval()) {
                        record(diffs, count, new Difference(i, "return code", a.retval() + " (adapted expected " + expected + ")",
                                String.valueOf(b.retval())));
                    }
                    if (!Arrays.equals(a.dataOut(), b.dataOut())) {
                        record(diffs, count, new Difference(i, "packet", a.dataOut().length + " B " + HostMaps.hex(a.dataOut()),
                                b.dataOut().length + " B " + HostMaps.hex(b.dataOut())));
                    }
                }
                boolean checkpoint = (i + 1) % LARGE_MAP_INTERVAL == 0 || i == run.packets().size() - 1;
                for (Pair pr : pairs) {
                    if (checkpoint || pr.everyPacket()) {
                        pr.compare(i, cpu, cpus, d -> record(diffs, count, d));
                    }
                }
            }
            List<String> sampled = pairs.stream().filter(pr -> !pr.everyPacket()).map(pr -> pr.original().name()).toList();
            return new Result(run.program(), run.packets().size(), executed, pairs.size(), sampled, List.copyOf(unreadable), count[0],
                    List.copyOf(diffs), List.copyOf(returns));
        }
    }

    private static void record(List<Difference> diffs, int[] count, Difference d) {
        count[0]++;
        if (diffs.size() < KEEP) {
            diffs.add(d);
        }
    }

    /** A map of the original and its counterpart in the adapted object. */
    private record Pair(Kind kind, BpfMap original, BpfMap adapted, List<CounterWord> words) {

        boolean everyPacket() {
            return Math.max(original.maxEntries(), adapted.maxEntries()) <= EVERY_PACKET_LIMIT;
        }

        void compare(int packet, int cpu, int cpus, java.util.function.Consumer<Difference> out) {
            TreeMap<String, byte[]> a = HostMaps.dump(original, cpus);
            TreeMap<String, byte[]> b = HostMaps.dump(adapted, cpus);
            String name = "map " + original.name() + (original.name().equals(adapted.name()) ? "" : "->" + adapted.name());
            if (!a.keySet().equals(b.keySet())) {
                out.accept(new Difference(packet, name + " keys", a.keySet().toString(), b.keySet().toString()));
                return;
            }
            for (Map.Entry<String, byte[]> e : a.entrySet()) {
                byte[] va = e.getValue();
                byte[] vb = b.get(e.getKey());
                String where = name + " key " + e.getKey();
                switch (kind) {
                    case SAME -> {
                        if (!Arrays.equals(va, vb)) {
                            out.accept(new Difference(packet, where, HostMaps.hex(va), HostMaps.hex(vb)));
                        }
                    }
                    case PERCPU_SUM -> {
                        byte[] expected = Arrays.copyOfRange(va, cpu * HostMaps.stride(original), cpu * HostMaps.stride(original) + original.valueSize());
                        for (CounterWord w : words) {
                            long sum = 0;
                            for (int c = 0; c < cpus; c++) {
                                sum += HostMaps.word(va, c * HostMaps.stride(original) + w.offset(), w.width());
                            }
                            HostMaps.putWord(expected, w.offset(), w.width(), sum);
                        }
                        if (!Arrays.equals(expected, Arrays.copyOf(vb, adapted.valueSize()))) {
                            out.accept(new Difference(packet, where, "per-CPU " + HostMaps.hex(va) + " (sum " + HostMaps.hex(expected) + ")",
                                    HostMaps.hex(vb)));
                        }
                    }
                    case GLOBAL_COUNTERS -> {
                        boolean same = words.isEmpty() ? Arrays.equals(va, vb) : words.stream().allMatch(w ->
                                w.offset() + w.width() <= vb.length
                                        && HostMaps.word(va, w.offset(), w.width()) == HostMaps.word(vb, w.offset(), w.width()));
                        if (!same) {
                            out.accept(new Difference(packet, where, HostMaps.hex(va), HostMaps.hex(vb)));
                        }
                    }
                    case RODATA_FOLDED -> throw new IllegalStateException("a folded .rodata has no map pair");
                }
            }
        }
    }

    private static BpfMap find(LoadedObject obj, String objectName, String name) {
        for (BpfMap m : obj.maps()) {
            if (m.name().equals(name) || (name.startsWith(".") && m.name().equals(Adapter.libbpfInternalMapName(objectName, name)))) {
                return m;
            }
        }
        return null;
    }

    private static void pair(Run run, LoadedObject orig, LoadedObject adapted, List<Pair> pairs, List<String> unreadable,
                             java.util.function.Consumer<Difference> out) {
        List<String> covered = new ArrayList<>();
        for (MapCorrespondence c : run.correspondences()) {
            BpfMap o = find(orig, run.objectName(), c.originalMap());
            if (o != null) {
                covered.add(o.name());
            }
            if (c.kind() == Kind.RODATA_FOLDED) {
                continue;
            }
            BpfMap a = c.adaptedMap().map(n -> find(adapted, run.objectName(), n)).orElse(null);
            if (o == null || a == null) {
                out.accept(new Difference(-1, "correspondence " + c, o == null ? "no such map" : o.name(), a == null ? "no such map" : a.name()));
                continue;
            }
            pairs.add(new Pair(c.kind(), o, a, c.counterWords()));
        }
        for (BpfMap o : orig.maps()) {
            if (covered.contains(o.name())) {
                continue;
            }
            BpfMap a = find(adapted, run.objectName(), o.name());
            if (a == null) {
                out.accept(new Difference(-1, "map " + o.name(), "present", "no counterpart and no correspondence"));
            } else if (HostMaps.readable(o) && HostMaps.readable(a)) {
                pairs.add(new Pair(Kind.SAME, o, a, List.of()));
            } else {
                unreadable.add(o.name());
            }
        }
    }

    /** Extra per-CPU counts written on the CPUs other than the pinned one, so that the sum is exercised. */
    private static long otherCpuCount(int cpu, CounterWord w) {
        return 1000L * (cpu + 1) + 7 + w.offset();
    }

    private static void prepopulate(Run run, List<Pair> pairs, int pinned, int cpus) {
        for (Entry e : run.prepopulation().entries()) {
            List<Pair> targets = pairs.stream().filter(p -> p.original().name().equals(e.originalMap())
                    || (e.originalMap().startsWith(".") && p.original().name().equals(Adapter.libbpfInternalMapName(run.objectName(), e.originalMap())))).toList();
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("no map pair for pre-populated map " + e.originalMap());
            }
            for (Pair p : targets) {
                BpfMap o = p.original();
                if (e.value().length != o.valueSize()) {
                    throw new IllegalArgumentException("map " + o.name() + ": value of " + e.value().length + " bytes, map has " + o.valueSize());
                }
                switch (p.kind()) {
                    case SAME -> {
                        byte[] v = HostMaps.perCpu(o) ? replicate(o, e.value(), cpus) : e.value();
                        HostMaps.update(o, e.key(), v);
                        HostMaps.update(p.adapted(), e.key(), v);
                    }
                    case PERCPU_SUM -> {
                        byte[] perCpu = replicate(o, e.value(), cpus);
                        byte[] shared = e.value().clone();
                        for (CounterWord w : p.words()) {
                            long sum = HostMaps.word(e.value(), w.offset(), w.width());
                            for (int c = 0; c < cpus; c++) {
                                if (c != pinned) {
                                    long extra = run.prepopulation().spreadOverCpus() ? otherCpuCount(c, w) : 0;
                                    HostMaps.putWord(perCpu, c * HostMaps.stride(o) + w.offset(), w.width(), extra);
                                    sum += extra;
                                }
                            }
                            HostMaps.putWord(shared, w.offset(), w.width(), sum);
                        }
                        HostMaps.update(o, e.key(), perCpu);
                        HostMaps.update(p.adapted(), e.key(), shared);
                    }
                    case GLOBAL_COUNTERS -> {
                        HostMaps.update(o, e.key(), e.value());
                        HostMaps.update(p.adapted(), e.key(), e.value());
                    }
                    case RODATA_FOLDED -> throw new IllegalStateException("unreachable");
                }
            }
        }
    }

    private static byte[] replicate(BpfMap m, byte[] value, int cpus) {
        byte[] out = new byte[HostMaps.stride(m) * cpus];
        for (int c = 0; c < cpus; c++) {
            System.arraycopy(value, 0, out, c * HostMaps.stride(m), value.length);
        }
        return out;
    }
}
