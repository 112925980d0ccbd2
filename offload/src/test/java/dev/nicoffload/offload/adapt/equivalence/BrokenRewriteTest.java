package dev.nicoffload.offload.adapt.equivalence;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Difference;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Entry;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Prepopulation;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Result;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The equivalence harness catches a wrong rewrite: a correct adaptation of the per-action counter
 * program ({@code xdp_action_stats}) shows no difference, and the same object with ONE of its atomic
 * adds broken in the output bytes shows a difference at the first packet whose result the break
 * changes, in the right map and key.
 */
class BrokenRewriteTest {
    private static final int XDP_PASS = 2;

    private static byte[] original;
    private static Adaptation adaptation;
    private static List<byte[]> packets;

    @BeforeAll
    static void adapt() throws Exception {
        EquivalenceHarness.requireRoot();
        original = Files.readAllBytes(AdaptCorpus.corpusDir().resolve("xdp_action_stats.o"));
        adaptation = Adapter.adapt(original, "xdp_action_stats", AdaptOptions.defaults());
        assertTrue(adaptation.adaptable(), adaptation.report().render());
        packets = PacketSet.generate(CorpusEquivalenceTest.SEED, 2000);
    }

    private static Run run(byte[] adapted) {
        return Run.of(original, adapted, "xdp_action_stats", "xdp_action_stats", adaptation.report().mapCorrespondences(), packets);
    }

    /** The adapted packet counter's atomic add: the one at offset 0 of the value (rx_packets). */
    private static int packetCounterAdd(byte[] adapted) {
        List<Integer> adds = ElfEdit.atomicAdds(adapted, "xdp");
        assertEquals(2, adds.size(), "the adapter made the two counters atomic adds");
        return adds.stream().filter(at -> ElfEdit.offset(adapted, at) == 0).findFirst().orElseThrow();
    }

    private static int firstExecuted(Result r) {
        for (int i = 0; i < r.originalReturns().size(); i++) {
            if (r.originalReturns().get(i) >= 0) {
                return i;
            }
        }
        throw new AssertionError("no packet ran");
    }

    @Test
    void addToTheWrongWordIsCaughtAtTheFirstPacketThatCounts() {
        byte[] adapted = adaptation.output().orElseThrow();
        assertEquals(0, EquivalenceHarness.compare(run(adapted)).differenceCount(), "the correct adaptation is equivalent");

        byte[] broken = adapted.clone();
        ElfEdit.setOffset(broken, packetCounterAdd(broken), 8); // packets counted into rx_bytes
        Result r = EquivalenceHarness.compare(run(broken));
        Difference d = r.first().orElseThrow(() -> new AssertionError("the harness missed the broken rewrite"));
        assertEquals(firstExecuted(r), d.packet(), d.toString());
        assertTrue(d.where().startsWith("map xdp_stats_map key "), d.toString());
        assertTrue(r.differenceCount() > 1000, "every counting packet differs: " + r.differenceCount());
    }

    @Test
    void thirtyTwoBitAddOfASixtyFourBitCounterIsCaughtWhenItCarries() {
        byte[] adapted = adaptation.output().orElseThrow();
        // XDP_PASS's packet counter one below 2^32: the next passed packet carries into the upper half
        Prepopulation nearCarry = new Prepopulation(List.of(new Entry("xdp_stats_map", AdaptCorpus.le32(XDP_PASS),
                AdaptCorpus.le64(0xffff_ffffL, 0))), false);
        assertEquals(0, EquivalenceHarness.compare(run(adapted).withPrepopulation(nearCarry)).differenceCount(),
                "the correct adaptation carries like the original");

        byte[] broken = adapted.clone();
        int at = packetCounterAdd(broken);
        broken[at] = (byte) 0xc3; // BPF_ATOMIC|BPF_W instead of BPF_DW
        Result r = EquivalenceHarness.compare(run(broken).withPrepopulation(nearCarry));
        Difference d = r.first().orElseThrow(() -> new AssertionError("the harness missed the broken rewrite"));
        int firstPass = r.originalReturns().indexOf((long) XDP_PASS);
        assertTrue(firstPass >= 0);
        assertEquals(firstPass, d.packet(), d.toString());
        assertEquals("map xdp_stats_map key 02000000", d.where(), d.toString());
    }

    @Test
    void aChangedReturnCodeIsCaughtUnlessItIsTheStatedChange() throws Exception {
        byte[] tc = Files.readAllBytes(AdaptCorpus.corpusDir().resolve("tc_classifier.o"));
        Adaptation unspec = Adapter.adapt(tc, "tc_classifier", AdaptOptions.defaults().allowing(
                dev.nicoffload.offload.adapt.AllowedChange.TC_OK_TO_UNSPEC));
        Run run = Run.of(tc, unspec.output().orElseThrow(), "tc_classifier", "tc_classifier",
                unspec.report().mapCorrespondences(), packets);
        Result stated = EquivalenceHarness.compare(run.withReturnMapping(AdaptCorpus.TC_OK_TO_UNSPEC));
        assertEquals(0, stated.differenceCount(), String.valueOf(stated.differences()));
        Result r = EquivalenceHarness.compare(run);
        Difference d = r.first().orElseThrow(() -> new AssertionError("TC_ACT_OK -> TC_ACT_UNSPEC not seen"));
        assertEquals(r.originalReturns().indexOf(0L), d.packet(), d.toString());
        assertEquals("return code", d.where());
        assertEquals("4294967295", d.adapted());
    }
}
