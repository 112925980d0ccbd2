package dev.nicoffload.jit.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.isa.InstructionClass;
import dev.nicoffload.jit.isa.NfpEcc;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * JIT images produced by the kernel's own NFP JIT on nfpsim (6.1.192) for the shared test
 * programs; the {@code .hw.bin} files are the relocated copies with ECC that the driver loaded
 * (nfpsim's {@code hw_image}). Expected layouts are derived from the JIT's fixed parts (intro 2,
 * outro 13 for XDP / 18 for TC, NOP tail 8) and the reported image length.
 */
class JitImageTest {
    /** The first words of {@code r0 = 2; exit} as XDP, from nfpsim's README. */
    private static final long[] XDP_PASS_HEAD = {
        0x000000f003f05bffL, 0x000000b441605a20L, 0x000002f0000c0800L, 0x000002f0000c0001L,
        0x020001dea6008038L, 0x060001dea6208038L, 0x000000a0000c0000L, 0x000000c10c048a00L
    };

    static byte[] resource(String name) throws IOException {
        try (InputStream in = JitImageTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }

    @Test
    void xdpPassLayout() throws Exception {
        JitImage img = JitImage.of(resource("xdp_pass.nfp.bin"));
        assertEquals(26, img.size());
        assertArrayEquals(XDP_PASS_HEAD, Arrays.copyOf(img.words(), 8));
        ImageLayout l = img.layout();
        assertEquals(ImageLayout.Kind.XDP, l.kind());
        assertEquals(2, l.length(Region.INTRO));
        assertEquals(3, l.length(Region.BODY));
        assertEquals(13, l.length(Region.OUTRO));
        assertEquals(0, l.length(Region.CALLEE_SAVE));
        assertEquals(8, l.length(Region.NOP_TAIL));
        assertEquals(8, l.exitIndex());
        assertEquals(5, l.abortIndex());
        assertEquals(Region.BODY, img.instructions().get(4).region());
        assertEquals(Region.OUTRO, img.instructions().get(5).region());
        assertEquals(Region.NOP_TAIL, img.instructions().get(18).region());
    }

    @Test
    void xdpPassRelocationsAndLabels() throws Exception {
        JitImage img = JitImage.of(resource("xdp_pass.nfp.bin"));
        JitInstruction exit = img.instructions().get(4);
        assertEquals(RelocationType.BR_GO_OUT, exit.relocation());
        assertEquals(InstructionClass.BRANCH, exit.instructionClass());
        assertEquals("br[.15000]", exit.text());
        assertTrue(exit.hasPlaceholderTarget());
        assertEquals(8, exit.target());
        assertEquals("exit", exit.targetLabel());

        JitInstruction next = img.instructions().get(5);
        assertEquals(RelocationType.BR_NEXT_PKT, next.relocation());
        assertEquals(-1, next.target());
        assertEquals("next_packet", next.targetLabel());

        JitInstruction rel = img.instructions().get(9);
        assertEquals(RelocationType.BR_REL, rel.relocation());
        assertEquals(5, rel.target());
        assertEquals("abort", rel.targetLabel());

        JitInstruction nop = img.instructions().get(25);
        assertEquals(RelocationType.NONE, nop.relocation());
        assertEquals("nop", nop.text());
        assertNull(nop.targetLabel());

        Map<RelocationType, Integer> relocs = img.relocationCounts();
        assertEquals(1, relocs.get(RelocationType.BR_GO_OUT));
        assertEquals(2, relocs.get(RelocationType.BR_NEXT_PKT));
        assertEquals(1, relocs.get(RelocationType.BR_REL));
        assertEquals(22, relocs.get(RelocationType.NONE));
        assertEquals("exit", img.labelAt(8));
        assertEquals("abort", img.labelAt(5));
        String listing = img.listing();
        assertTrue(listing.contains("; outro (13)\nabort:\n"), listing);
        assertTrue(listing.contains("br[.15000]  ; BR_GO_OUT -> exit"), listing);
    }

    @Test
    void classCountsAddUp() throws Exception {
        JitImage img = JitImage.of(resource("xdp_pass.nfp.bin"));
        Map<InstructionClass, Integer> counts = img.classCounts();
        assertEquals(26, counts.values().stream().mapToInt(Integer::intValue).sum());
        // 8 NOPs plus the intro's immed and the body's two immeds at least
        assertTrue(counts.get(InstructionClass.IMMED) >= 11, counts.toString());
        assertEquals(0, counts.get(InstructionClass.INVALID));
    }

    @Test
    void eccMatchesTheDevicesCopy() throws Exception {
        // README: the HW copy with tags cleared and ECC added starts 000f20f003f05bff 000700b441605a20
        assertEquals(0x000f20f003f05bffL, NfpEcc.withEcc(XDP_PASS_HEAD[0]));
        assertEquals(0x000700b441605a20L, NfpEcc.withEcc(XDP_PASS_HEAD[1]));
        assertEquals(0, NfpEcc.compute(JitImage.NOP), "the NOP's ECC is 0");
        assertEquals(JitImage.EccState.ABSENT, JitImage.of(resource("xdp_pass.nfp.bin")).eccState());
        JitImage hw = JitImage.of(resource("xdp_pass.hw.bin"));
        assertEquals(JitImage.EccState.VALID, hw.eccState());
        long[] broken = hw.words();
        broken[3] ^= 1L << 46;
        JitImage bad = JitImage.ofWords(broken);
        assertEquals(JitImage.EccState.INVALID, bad.eccState());
        assertArrayEquals(new int[] {3}, bad.eccMismatches());
    }

    @Test
    void relocationReproducesTheDriversDeviceCopy() throws Exception {
        // nfpsim loads at code-store index 128; next-packet entry 16; helper 1 (map lookup) at 0x3f00
        RelocationTargets t = new RelocationTargets(128, 16, Map.of(1, 0x3f00));
        for (String name : List.of("xdp_pass", "xdp_pkt", "xdp_map")) {
            JitImage img = JitImage.of(resource(name + ".nfp.bin"));
            long[] hw = JitImage.of(resource(name + ".hw.bin")).words();
            assertArrayEquals(hw, img.relocate(t), name);
        }
    }

    @Test
    void layoutsOfTheOtherPrograms() throws Exception {
        // name, kind, total instructions (jited_prog_len / 8)
        Object[][] cases = {
            {"tc_shot", ImageLayout.Kind.TC, 40},
            {"xdp_pkt", ImageLayout.Kind.XDP, 54},
            {"xdp_map", ImageLayout.Kind.XDP, 50},
            {"xdp_div32", ImageLayout.Kind.XDP, 51},
            {"xdp_adjust", ImageLayout.Kind.XDP, 60},
            {"xdp_perf", ImageLayout.Kind.XDP, 43},
            {"xdp_call", ImageLayout.Kind.XDP, 70},
        };
        for (Object[] c : cases) {
            JitImage img = JitImage.of(resource(c[0] + ".nfp.bin"));
            ImageLayout l = img.layout();
            int outro = c[1] == ImageLayout.Kind.TC ? 18 : 13;
            assertEquals(c[1], l.kind(), (String) c[0]);
            assertEquals((int) c[2], img.size(), (String) c[0]);
            assertEquals(2, l.length(Region.INTRO));
            assertEquals(outro, l.length(Region.OUTRO), (String) c[0]);
            assertEquals(8, l.length(Region.NOP_TAIL));
            assertEquals((int) c[2] - 2 - outro - 8, l.length(Region.BODY), (String) c[0]);
            for (JitInstruction i : img.instructions()) {
                if (i.relocation() == RelocationType.BR_GO_OUT) {
                    assertEquals(l.exitIndex(), i.target());
                }
                if (i.relocation() == RelocationType.BR_REL) {
                    assertTrue(i.target() >= 0 && i.targetLabel() != null, c[0] + " " + i);
                }
            }
        }
    }

    @Test
    void tcShotBodyHasTheExpectedSize() throws Exception {
        // r1 = skb->len (LDX ctx: 2), r0 = 2 (2), r2 = 64 (2), if r2 > r1 (JGT reg 64-bit: 3),
        // r0 = -1 (2), exit (1)  ->  12 body instructions
        JitImage img = JitImage.of(resource("tc_shot.nfp.bin"));
        assertEquals(12, img.layout().length(Region.BODY));
        assertEquals(RelocationType.BR_GO_OUT, img.instructions().get(13).relocation());
    }

    @Test
    void xdpMapHelperCallAndReturnAddress() throws Exception {
        JitImage img = JitImage.of(resource("xdp_map.nfp.bin"));
        JitInstruction call = img.instructions().get(12);
        assertEquals(RelocationType.BR_HELPER, call.relocation());
        assertEquals("helper_1", call.targetLabel());
        JitInstruction ret = img.instructions().get(14);
        assertEquals(RelocationType.IMMED_REL, ret.relocation());
        assertEquals(15, ret.target(), "return address after the call's delay slots");
    }

    @Test
    void netdevsimHasNoImage() throws Exception {
        ProgramImage p = ProgramImage.fromProgInfo(0, new byte[0]);
        NoJitImage none = assertInstanceOf(NoJitImage.class, p);
        assertEquals("device keeps no image (netdevsim: jited length 0)", none.reason());
        assertInstanceOf(JitImage.class, ProgramImage.fromProgInfo(208, resource("xdp_pass.nfp.bin")));
    }

    @Test
    void badImagesGiveTypedErrors() throws Exception {
        byte[] good = resource("xdp_pass.nfp.bin");
        NfpFormatException odd = assertThrows(NfpFormatException.class, () -> JitImage.of(Arrays.copyOf(good, 205)));
        assertTrue(odd.getMessage().contains("not a multiple of 8"));
        assertThrows(NfpFormatException.class, () -> JitImage.of(new byte[0]));
        assertThrows(NfpFormatException.class, () -> JitImage.ofWords());
        NfpFormatException trunc = assertThrows(NfpFormatException.class,
                () -> ProgramImage.fromProgInfo(208, Arrays.copyOf(good, 100)));
        assertTrue(trunc.getMessage().contains("truncated"));
        assertThrows(NfpFormatException.class, () -> ProgramImage.fromProgInfo(-8, good));
    }

    @Test
    void unrecognisedImagesStillDecode() throws Exception {
        // A prefix of a real image is not JIT-shaped: everything is body, nothing crashes.
        byte[] good = resource("xdp_pass.nfp.bin");
        for (int words = 1; words <= 26; words++) {
            JitImage img = JitImage.of(Arrays.copyOf(good, words * 8));
            assertEquals(words, img.instructions().size());
            if (words < 26) {
                assertEquals(ImageLayout.Kind.UNKNOWN, img.layout().kind());
                assertEquals(words, img.layout().length(Region.BODY));
                if (words > 4) { // contains the exit branch, whose target needs the outro
                    assertThrows(IllegalStateException.class, () -> img.relocate(new RelocationTargets(0, 0, Map.of())));
                }
            }
            img.listing();
        }
    }
}
