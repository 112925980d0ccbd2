package dev.nicoffload.offload.adapt.equivalence;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.AllowedChange;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Entry;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Prepopulation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * The adapter's corpus (offload/src/test/bpf/adapt-corpus, compiled into {@code target/adapt-corpus}) and
 * the Debian xdp-tools/libxdp1 objects, each with what the tests expect of it and the entries its maps
 * are pre-populated with for the second equivalence run.
 */
final class AdaptCorpus {

    /** Where the build put the compiled corpus. */
    static Path corpusDir() {
        String prop = System.getProperty("nicoffload.adapt.corpus");
        Path dir = Path.of(prop != null ? prop : "target/adapt-corpus");
        if (!Files.isRegularFile(dir.resolve("xdp_action_stats.o"))) {
            throw new IllegalStateException("the adapter corpus is not compiled in " + dir.toAbsolutePath()
                    + " (the offload module's generate-test-resources step runs src/test/bpf/adapt-corpus/build.sh)");
        }
        return dir;
    }

    /** Where Debian's xdp-tools and libxdp1 install their BPF objects. */
    static Path debianDir() {
        String prop = System.getProperty("nicoffload.debian.bpf");
        return Path.of(prop != null ? prop : "/usr/lib/x86_64-linux-gnu/bpf");
    }

    /**
     * One corpus object.
     *
     * @param file       the object file name
     * @param program    the program to compare
     * @param adaptable  whether the adapter must adapt it with {@code options}
     * @param options    the adapter options (meaning-changing ones only where stated)
     * @param prepop     entries for the pre-populated run
     * @param returnMap  the adapted return code expected for each original one (identity unless a
     *                   stated change of meaning, {@code tc-ok-to-unspec}, applies)
     * @param pattern    the pattern it stands for (the docs table's first column)
     */
    record Case(String file, String program, boolean adaptable, AdaptOptions options, Prepopulation prepop,
                LongUnaryOperator returnMap, String pattern) {
        String objectName() {
            return file.substring(0, file.length() - 2);
        }
    }

    private AdaptCorpus() {
    }

    static byte[] le32(int... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            b.putInt(x);
        }
        return b.array();
    }

    static byte[] le64(long... v) {
        ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.putLong(x);
        }
        return b.array();
    }

    static byte[] be32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array();
    }

    /** TC_ACT_OK (0) becomes TC_ACT_UNSPEC (-1): the stated change of {@code tc-ok-to-unspec}. */
    static final LongUnaryOperator TC_OK_TO_UNSPEC = r -> r == 0 ? 0xffffffffL : r;

    /** Our own programs, one per common pattern, plus the three that must be refused. */
    static List<Case> own() {
        AdaptOptions defaults = AdaptOptions.defaults();
        List<Case> cases = new ArrayList<>();
        // per-CPU packet/byte counters per XDP action: every action slot pre-counted
        List<Entry> actionStats = new ArrayList<>();
        for (int action = 0; action <= 4; action++) {
            actionStats.add(new Entry("xdp_stats_map", le32(action), le64(100L * action + 3, 6000L * action + 11)));
        }
        cases.add(new Case("xdp_action_stats.o", "xdp_action_stats", true, defaults, new Prepopulation(actionStats),
                LongUnaryOperator.identity(), "per-CPU packet/byte counters per XDP action (PERCPU_ARRAY)"));
        // per-CPU stats keyed by protocol: TCP and UDP already seen
        cases.add(new Case("xdp_proto_stats.o", "xdp_proto_stats", true, defaults, new Prepopulation(List.of(
                new Entry("proto_stats", le32(6), le64(41, 4100)),
                new Entry("proto_stats", le32(17), le64(0xffff_fff0L, 1L << 40)))),
                LongUnaryOperator.identity(), "per-CPU stats keyed by protocol (PERCPU_HASH, zeroed insert)"));
        // LRU flow table: one flow blocked by userspace, one with counts
        byte[] flowTcp = flowKey(0x0a000001, 0x0a0000fe, 40000, 80, 6);
        byte[] flowUdp = flowKey(0xc0a80107, 0xc0a80101, 5353, 53, 17);
        cases.add(new Case("xdp_flow_lru.o", "xdp_flow_lru", false, defaults, Prepopulation.NONE,
                LongUnaryOperator.identity(), "LRU flow table (LRU_HASH), default options"));
        cases.add(new Case("xdp_flow_lru.o", "xdp_flow_lru", true, defaults.allowing(AllowedChange.LRU_TO_HASH),
                new Prepopulation(List.of(
                        new Entry("flows", flowTcp, concat(le64(0, 0), le32(1, 0))),
                        new Entry("flows", flowUdp, concat(le64(5, 500), le32(0, 0))))),
                LongUnaryOperator.identity(), "LRU flow table (LRU_HASH), --allow lru-to-hash"));
        // const volatile configuration, drops counted in an ARRAY
        cases.add(new Case("xdp_port_filter_cfg.o", "xdp_port_filter_cfg", true, defaults, new Prepopulation(List.of(
                new Entry("drops", le32(0), le64(7)), new Entry("drops", le32(2), le64(9)))),
                LongUnaryOperator.identity(), "configuration in const volatile globals (.rodata)"));
        // counters in .bss
        // the adapter does not move .bss counters into a map (yet): refused with the reason
        cases.add(new Case("xdp_global_counters.o", "xdp_global_counters", false, defaults, new Prepopulation(List.of(
                new Entry(".bss", le32(0), concat(le64(10, 1000, 4, 3), le32(0xffff_fffe), new byte[4])))),
                LongUnaryOperator.identity(), "counters in .bss globals"));
        // TC classifier returning TC_ACT_OK
        List<Entry> classes = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            classes.add(new Entry("class_packets", le32(c), le64(c * 11L)));
        }
        // the per-CPU map is adapted by default; TC_ACT_OK stays (the NFP still refuses that exit)
        cases.add(new Case("tc_classifier.o", "tc_classifier", true, defaults, new Prepopulation(classes),
                LongUnaryOperator.identity(), "TC classifier returning TC_ACT_OK (PERCPU_ARRAY), default options"));
        cases.add(new Case("tc_classifier.o", "tc_classifier", true, defaults.allowing(AllowedChange.TC_OK_TO_UNSPEC),
                new Prepopulation(classes), TC_OK_TO_UNSPEC, "TC classifier returning TC_ACT_OK, --allow tc-ok-to-unspec"));
        // NO_PREALLOC hash, pre-populated by userspace (the program only looks up)
        cases.add(new Case("xdp_src_hits_noprealloc.o", "xdp_src_hits_noprealloc", true, defaults, new Prepopulation(List.of(
                new Entry("watched", be32(PacketSet.WATCHED_SOURCES[0]), concat(le64(0, 0), le32(2, 0))),
                new Entry("watched", be32(PacketSet.WATCHED_SOURCES[1]), concat(le64(3, 300), le32(1, 0))),
                new Entry("watched", be32(PacketSet.WATCHED_SOURCES[2]), concat(le64(0, 0), le32(1, 0))))),
                LongUnaryOperator.identity(), "watch list in a BPF_F_NO_PREALLOC HASH"));
        // negatives
        cases.add(new Case("xdp_rate_limit.o", "xdp_rate_limit", false, defaults, Prepopulation.NONE,
                LongUnaryOperator.identity(), "NEGATIVE: per-CPU counter also read for a decision"));
        cases.add(new Case("xdp_last_seen.o", "xdp_last_seen", false, defaults, Prepopulation.NONE,
                LongUnaryOperator.identity(), "NEGATIVE: stored timestamp (bpf_ktime_get_ns)"));
        cases.add(new Case("xdp_scratch.o", "xdp_scratch", false, defaults, Prepopulation.NONE,
                LongUnaryOperator.identity(), "NEGATIVE: per-CPU scratch buffer"));
        return cases;
    }

    static byte[] flowKey(int saddr, int daddr, int sport, int dport, int proto) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
        b.putInt(saddr).putInt(daddr).putShort((short) sport).putShort((short) dport);
        b.order(ByteOrder.LITTLE_ENDIAN).putInt(proto);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
