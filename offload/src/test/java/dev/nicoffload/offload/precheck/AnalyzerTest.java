package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.nicoffload.offload.spec.Instruction.of;
import static org.junit.jupiter.api.Assertions.*;

/** The abstract interpretation on hand-written instruction sequences. */
class AnalyzerTest {
    private static final NfpPreChecker CHECKER = new NfpPreChecker(FirmwareCapabilities.nfpsim());

    private static ProgramSpec xdp(Instruction... insns) {
        return new ProgramSpec("t", "xdp", ProgramType.XDP, 0, "GPL", List.of(insns));
    }

    private static ProgramSpec tc(Instruction... insns) {
        return new ProgramSpec("t", "tc", ProgramType.SCHED_CLS, 0, "GPL", List.of(insns));
    }

    private static List<String> lines(ProgramSpec p, MapSpec... maps) {
        return CHECKER.check(p, List.of(maps)).findings().stream().map(Finding::render).toList();
    }

    @Test
    void jmp32RefinementMakesTheExitConstant() {
        // r0 = len & 0xff; if w0 > 2 goto L; r0 = 2; exit; L: r0 = 2; exit  -- both exits constant
        ProgramSpec p = tc(of(0x61, 0, 1, 0, 0), of(0x57, 0, 0, 0, 0xff), of(0x26, 0, 0, 2, 2), of(0xb7, 0, 0, 0, 2),
                of(0x95, 0, 0, 0, 0), of(0xb7, 0, 0, 0, 2), of(0x95, 0, 0, 0, 0));
        assertEquals(List.of(), lines(p));
        // without the reset on the fall-through the exit sees R0 in [0, 2]
        ProgramSpec q = tc(of(0x61, 0, 1, 0, 0), of(0x57, 0, 0, 0, 0xff), of(0x26, 0, 0, 1, 2), of(0x95, 0, 0, 0, 0),
                of(0xb7, 0, 0, 0, 2), of(0x95, 0, 0, 0, 0));
        assertEquals(List.of("[nfp] unsupported exit state: 1, var_off: (0x0; 0x3)"), lines(q));
    }

    @Test
    void branchOnAKnownConstantFollowsOneSideOnly() {
        // r1 = 5; if r1 > 3 goto +1; r1 %= 7 (unsupported, but dead); r0 = 2; exit
        ProgramSpec p = xdp(of(0xb7, 1, 0, 0, 5), of(0x25, 1, 0, 1, 3), of(0x97, 1, 0, 0, 7), of(0xb7, 0, 0, 0, 2), of(0x95, 0, 0, 0, 0));
        assertEquals(List.of(), lines(p));
    }

    @Test
    void boundedLoopsTerminateAndMergeRanges() {
        // r1 = 0; loop: r1 += 1; if r1 < 100 goto loop; r2 = r1 (100); r2 *= r1 (u32 ok); r0 = 2; exit
        ProgramSpec p = xdp(of(0xb7, 1, 0, 0, 0), of(0x07, 1, 0, 0, 1), of(0xa5, 1, 0, -2, 100), of(0xbf, 2, 1, 0, 0),
                of(0x2f, 2, 1, 0, 0), of(0xb7, 0, 0, 0, 2), of(0x95, 0, 0, 0, 0));
        CheckReport r = CHECKER.check(p, List.of());
        assertEquals(List.of(), r.findings());
        assertTrue(r.offloadable());
    }

    @Test
    void storeImmediateIsFlaggedWhateverTheDestination() {
        // r2 = pkt; r3 = pkt_end; r4 = r2; r4 += 4; if r4 > r3 goto out; *(u32 *)(r2 + 0) = 1 (BPF_ST to the packet); out: r0 = 2; exit
        ProgramSpec p = xdp(of(0x61, 2, 1, 0, 0), of(0x61, 3, 1, 4, 0), of(0xbf, 4, 2, 0, 0), of(0x07, 4, 0, 0, 4),
                of(0x2d, 4, 3, 1, 0), of(0x62, 2, 0, 0, 1), of(0xb7, 0, 0, 0, 2), of(0x95, 0, 0, 0, 0));
        CheckReport r = CHECKER.check(p, List.of());
        assertEquals(1, r.errors().size());
        assertEquals(Rule.STORE_IMMEDIATE, r.errors().getFirst().rule());
        assertEquals(5, r.errors().getFirst().instruction());
        assertEquals(Errno.EINVAL, r.errors().getFirst().errno());
    }

    @Test
    void kfuncCallsAreRefused() {
        ProgramSpec p = xdp(new Instruction(0x85, 0, Instruction.PSEUDO_KFUNC_CALL, (short) 0, 1234, 0, "bpf_xdp_metadata_rx_hash"),
                of(0xb7, 0, 0, 0, 2), of(0x95, 0, 0, 0, 0));
        CheckReport r = CHECKER.check(p, List.of());
        assertEquals(Rule.CALL, r.errors().getFirst().rule());
        assertTrue(r.errors().getFirst().message().contains("bpf_xdp_metadata_rx_hash"));
    }

    @Test
    void instructionIndexesCountLdImm64AsTwoSlots() {
        MapSpec m = new MapSpec("m", MapType.ARRAY, 4, 8, 1, 0, -1, 0, false);
        // ld_imm64 r1 = map; r0 %= 3 (slot 2, not 1)
        ProgramSpec p = xdp(new Instruction(Instruction.LD_IMM64, 1, Instruction.PSEUDO_MAP_FD, (short) 0, 0, 0, "m"),
                of(0x97, 0, 0, 0, 3), of(0x95, 0, 0, 0, 0));
        Finding f = CHECKER.check(p, List.of(m)).findings().getFirst();
        assertEquals("[nfp] instruction 0x97 not supported", f.render());
        assertEquals(2, f.instruction());
    }

    @Test
    void largeProgramsAreAnalysedCompletely() {
        // 4096 instructions: 1023 bounds-checked packet byte reads folded into r0, one exit
        List<Instruction> insns = new ArrayList<>(List.of(of(0x61, 2, 1, 0, 0), of(0x61, 3, 1, 4, 0), of(0xbf, 4, 2, 0, 0),
                of(0x07, 4, 0, 0, 64), of(0x2d, 4, 3, 0, 0), of(0xb7, 0, 0, 0, 0)));
        for (int i = 0; insns.size() < 4094; i++) {
            insns.add(of(0x71, 5, 2, i % 64, 0));      // r5 = *(u8 *)(r2 + i % 64)
            insns.add(of(0x0f, 0, 5, 0, 0));           // r0 += r5
            insns.add(of(0x57, 0, 0, 0, 0xffff));      // r0 &= 0xffff
            insns.add(of(0x15, 5, 0, 0, 7));           // if r5 == 7 goto +0
        }
        insns.set(4, of(0x2d, 4, 3, insns.size() - 4, 0)); // if r4 > r3 goto exit
        insns.add(of(0xb7, 0, 0, 0, 2));
        insns.add(of(0x95, 0, 0, 0, 0));
        ProgramSpec p = xdp(insns.toArray(Instruction[]::new));
        assertEquals(4096, p.slotCount());
        CheckReport r = CHECKER.check(p, List.of());
        // the analysis completes; the only problem is the JIT image, which is larger than 4096 NFP instructions
        assertEquals(List.of(Rule.PROGRAM_LENGTH), r.findings().stream().map(Finding::rule).toList());
        assertTrue(r.size().exceedsLimit(), r.size().toString());
        CheckReport big = new NfpPreChecker(FirmwareCapabilities.nfpsim().toBuilder().maxProgramLength(0xffff).build()).check(p, List.of());
        assertTrue(big.offloadable(), big.findings().toString());
    }

    @Test
    void theOpcodeTableHasTheJitsHundredAndFifteenEntries() {
        assertEquals(115, NfpVerifierHook.supportedOpcodeCount());
        assertTrue(NfpVerifierHook.supportedOpcode(0xdc));
        assertFalse(NfpVerifierHook.supportedOpcode(0xd4));
        assertFalse(NfpVerifierHook.supportedOpcode(0x9f));
    }

    @Test
    void tnumFormatsLikeTheKernel() {
        assertEquals("(0x0; 0xffffffff)", new Tnum(0, 0xffffffffL).kernelString());
        assertEquals("(0x2; 0x0)", Tnum.constant(2).kernelString());
        assertEquals(new Tnum(0, 0xff), Tnum.range(0, 200));
        assertEquals(Tnum.constant(12), Tnum.constant(3).mul(Tnum.constant(4)));
        assertTrue(new Tnum(0, 0xff).contains(Tnum.constant(0x7f)));
        assertFalse(new Tnum(0, 0xff).contains(Tnum.constant(0x100)));
    }
}
