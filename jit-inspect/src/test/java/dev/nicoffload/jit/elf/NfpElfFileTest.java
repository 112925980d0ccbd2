package dev.nicoffload.jit.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.jit.NfpFormatException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NfpElfFileTest {
    private static final long NOP = 0x000000f0000c0300L;
    private static final long ILA_READ = 0x0000000000300b01L;
    private static final long BEQ = 0x000000d804000020L;

    private static byte[] sample() {
        return new NfpElfWriter().code(".text", 32, 0, NOP, ILA_READ, BEQ).build();
    }

    @Test
    void readsCodeSectionWordsAndDomain() throws Exception {
        NfpElfFile f = NfpElfFile.parse(sample());
        assertEquals(1, f.codeSections().size());
        CodeSection s = f.codeSections().get(0);
        assertEquals(".text", s.name());
        assertEquals(32, s.island());
        assertEquals(0, s.meNumber());
        assertTrue(s.hasValidDomain());
        assertEquals(MeConfig.DEFAULT, s.config());
        assertEquals(3, s.wordCount());
        assertEquals(ILA_READ, s.word(1));
        assertEquals(250, f.machine());
    }

    @Test
    void listingHasObjdumpFraming() throws Exception {
        StringBuilder sb = new StringBuilder();
        ObjdumpListing.write(NfpElfFile.parse(sample()), "ok.elf", sb);
        assertEquals("\nok.elf:     file format elf64-nfp\n\n"
                + "\nDisassembly of section .text:\n\n0000000000000000 <.text>:\n"
                + "   0:\t.0  nop\n"
                + "   8:\t.1  ila[read, $xfer_3, gprA_1, <<8, gprB_2, 1]\n"
                + "  10:\t.2  beq[.16]\n", sb.toString());
    }

    @Test
    void initCsrSectionsSelectMeSettings() throws Exception {
        byte[] elf = new NfpElfWriter()
                .code(".text.i32.me1", 32, 1, ILA_READ)
                .meCsrs(".regt.mecsr.i32", 0, 32, 1, 1, 0x8000_0000L, 0x14)
                .build();
        CodeSection s = NfpElfFile.parse(elf).codeSections().get(0);
        assertEquals(new MeConfig(true, true, true), s.config());
        StringBuilder sb = new StringBuilder();
        ObjdumpListing.write(NfpElfFile.parse(elf), "f", sb);
        // shared code store on an odd ME: PC 2*0+1 of a section of 2*1+1 words
        assertTrue(sb.toString().endsWith("   0:\t.1  ila[read, $xfer_3, gprA_1, <<8, gprB_2, 1]\n"), sb.toString());
    }

    @Test
    void higherOrderWinsAndInit2RanksFirst() throws Exception {
        byte[] elf = new NfpElfWriter()
                .code(".text.i33.me0", 33, 0, NOP)
                .meCsrs(".regt.mecsr.i33", 0, 33, 2, 0, 0x8000_0000L, 0)
                .meCsrs(".regt1.mecsr.i33", 0, 33, 1, 0, 0, 0x10)
                .code(".init.i33.me0", 33, 0, NOP).build();
        // make the second code section an init section
        byte[] patched = setSectionFlags(elf, 4, NfpElfFile.SHF_NFP_INIT | 0x6);
        NfpElfFile f = NfpElfFile.parse(patched);
        assertEquals(new MeConfig(true, false, false), f.codeSections().get(0).config());
        assertEquals(MeConfig.DEFAULT, f.codeSections().get(1).config(), "init code takes only init CSR sections");

        byte[] withInit2 = new NfpElfWriter()
                .code(".init.i33.me0", 33, 0, NOP)
                .meCsrs(".regi.mecsr.i33", NfpElfFile.SHF_NFP_INIT | NfpElfFile.SHF_NFP_INIT2, 33, 0, 0, 0x8000_0000L, 0)
                .meCsrs(".regi1.mecsr.i33", NfpElfFile.SHF_NFP_INIT, 33, 200, 0, 0, 0x10).build();
        withInit2 = setSectionFlags(withInit2, 1, NfpElfFile.SHF_NFP_INIT | 0x6);
        assertEquals(new MeConfig(true, false, false), NfpElfFile.parse(withInit2).codeSections().get(0).config());
    }

    @Test
    void invalidIslandOrMeIsPrintedLikeObjdump() throws Exception {
        byte[] elf = new NfpElfWriter().code(".text", 70, 0, NOP, NOP).build();
        StringBuilder sb = new StringBuilder();
        ObjdumpListing.write(NfpElfFile.parse(elf), "x", sb);
        assertTrue(sb.toString().endsWith("<.text>:\n   0:\tInvalid island or me.\t # ERROR\n"), sb.toString());
        assertFalse(NfpElfFile.parse(new NfpElfWriter().code(".text", 1, 12, NOP).build()).codeSections().get(0).hasValidDomain());
    }

    @Test
    void partialTrailingWordGivesErrorLine() throws Exception {
        byte[] elf = new NfpElfWriter().section(".text", NfpElfWriter.PROGBITS, NfpElfWriter.AX, 1,
                Arrays.copyOf(NfpElfWriter.words(NOP, ILA_READ, BEQ), 20)).build();
        StringBuilder sb = new StringBuilder();
        ObjdumpListing.write(NfpElfFile.parse(elf), "x", sb);
        assertTrue(sb.toString().endsWith("   8:\t.1  ila[read, $xfer_3, gprA_1, <<8, gprB_2, 1]\n  10:\t\t # ERROR\n"),
                sb.toString());
    }

    @Test
    void emptyCodeSectionIsNotListed() throws Exception {
        byte[] elf = new NfpElfWriter().section(".text", NfpElfWriter.PROGBITS, NfpElfWriter.AX, 1, new byte[0]).build();
        StringBuilder sb = new StringBuilder();
        ObjdumpListing.write(NfpElfFile.parse(elf), "e.elf", sb);
        assertEquals("\ne.elf:     file format elf64-nfp\n\n", sb.toString());
    }

    @Test
    void addressColumnWidensAt512Words() {
        assertEquals(4, ObjdumpListing.addressWidth(511 * 8));
        assertEquals(8, ObjdumpListing.addressWidth(512 * 8));
        assertEquals(4, ObjdumpListing.addressWidth(8));
    }

    @Test
    void rejectsNonElfAndForeignMachines() {
        assertMessage(new byte[0], "not an ELF file");
        assertMessage("hello world, not an elf".getBytes(), "not an ELF file");
        assertMessage(new NfpElfWriter().machine(62).build(), "e_machine 62");
        assertMessage(new NfpElfWriter().eflags(0x3200 << 8).build(), "unsupported NFP machine 0x3200");
        byte[] elf32 = sample();
        elf32[4] = 1;
        assertMessage(elf32, "ELF class 1");
        byte[] be = sample();
        be[5] = 2;
        assertMessage(be, "little-endian");
    }

    @Test
    void acceptsNffwMachineCode() throws Exception {
        byte[] elf = new NfpElfWriter().machine(0x6000).eflags(0).code(".text.i32.me0", 32, 0, NOP).build();
        assertEquals(0x6000, NfpElfFile.parse(elf).machine());
    }

    @Test
    void rejectsCorruptSectionHeaders() {
        byte[] good = sample();
        ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);

        byte[] badShoff = good.clone();
        ByteBuffer.wrap(badShoff).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, 1L << 40);
        assertMessage(badShoff, "section headers at offset");

        byte[] negShoff = good.clone();
        ByteBuffer.wrap(negShoff).order(ByteOrder.LITTLE_ENDIAN).putLong(0x28, -64);
        assertMessage(negShoff, "section headers at offset");

        byte[] manySections = good.clone();
        ByteBuffer.wrap(manySections).order(ByteOrder.LITTLE_ENDIAN).putShort(0x3c, (short) 0xfff0);
        assertMessage(manySections, "do not fit");

        byte[] badStrndx = good.clone();
        ByteBuffer.wrap(badStrndx).order(ByteOrder.LITTLE_ENDIAN).putShort(0x3e, (short) 77);
        assertMessage(badStrndx, "section name table index 77");

        byte[] badEntSize = good.clone();
        ByteBuffer.wrap(badEntSize).order(ByteOrder.LITTLE_ENDIAN).putShort(0x3a, (short) 40);
        assertMessage(badEntSize, "e_shentsize 40");

        byte[] textPastEnd = good.clone();
        ByteBuffer.wrap(textPastEnd).order(ByteOrder.LITTLE_ENDIAN).putLong((int) shoff + 64 + 24, good.length - 8);
        assertMessage(textPastEnd, "lie outside");

        byte[] hugeSize = good.clone();
        ByteBuffer.wrap(hugeSize).order(ByteOrder.LITTLE_ENDIAN).putLong((int) shoff + 64 + 32, Long.MAX_VALUE);
        assertMessage(hugeSize, "lie outside");

        byte[] badName = good.clone();
        ByteBuffer.wrap(badName).order(ByteOrder.LITTLE_ENDIAN).putInt((int) shoff + 64, 100000);
        assertMessage(badName, "name offset 100000");
    }

    @Test
    void everyTruncationIsATypedErrorOrAValidPrefix() {
        byte[] good = new NfpElfWriter().code(".text.i32.me0", 32, 0, NOP, ILA_READ, BEQ)
                .meCsrs(".regt.mecsr.i32", 0, 32, 1, 0, 0x8000_0000L, 0).build();
        for (int len = 0; len < good.length; len++) {
            byte[] cut = Arrays.copyOf(good, len);
            try {
                NfpElfFile.parse(cut);
            } catch (NfpFormatException e) {
                assertFalse(e.getMessage().isBlank());
            }
        }
    }

    @Test
    void randomCorruptionNeverEscapesAsAnotherException() throws Exception {
        byte[] good = new NfpElfWriter().code(".text.i32.me0", 32, 0, NOP, ILA_READ, BEQ)
                .meCsrs(".regt.mecsr.i32", 0, 32, 1, 0, 0x8000_0000L, 0x14).build();
        SplittableRandom rnd = new SplittableRandom(6);
        int typed = 0;
        for (int round = 0; round < 5_000; round++) {
            byte[] bad = good.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = rnd.nextInt(bad.length);
                bad[at] = (byte) rnd.nextInt(256);
            }
            try {
                NfpElfFile f = NfpElfFile.parse(bad);
                ObjdumpListing.write(f, "x", new StringBuilder());
            } catch (NfpFormatException e) {
                typed++;
            }
        }
        assertTrue(typed > 0, "corruption should be detected at least sometimes");
    }

    private static void assertMessage(byte[] bytes, String part) {
        NfpFormatException e = assertThrows(NfpFormatException.class, () -> NfpElfFile.parse(bytes));
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    /** Sets sh_flags of section {@code index} in a NfpElfWriter-built file. */
    static byte[] setSectionFlags(byte[] elf, int index, long flags) {
        byte[] out = elf.clone();
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(0x28);
        b.putLong((int) shoff + 64 * index + 8, flags);
        return out;
    }

    /**
     * Sections of the same shape are listed from the first one (copying the lines of equal words);
     * the result must equal listing each section from a file of its own, on the sequential path
     * (small files) and the parallel one (20,000 words and more).
     */
    @Test
    void sectionsListedFromAnEarlierSectionMatchSectionsListedAlone() throws Exception {
        for (int words : new int[] {40, 6_000}) {
            SplittableRandom rnd = new SplittableRandom(words);
            long[] a = new long[words];
            for (int i = 0; i < words; i++) {
                a[i] = rnd.nextLong() & 0xff_ffff_ffffL;
            }
            long[][] variants = new long[5][];
            for (int v = 0; v < variants.length; v++) {
                variants[v] = a.clone();
                for (int k = 0; k < v * 3; k++) { // 0, 3, 6, ... changed words, including the first and last
                    int at = k == 0 ? 0 : k == 1 ? words - 1 : rnd.nextInt(words);
                    variants[v][at] ^= 1L << rnd.nextInt(40);
                }
            }
            NfpElfWriter all = new NfpElfWriter();
            StringBuilder expected = new StringBuilder("\nall.elf:     file format elf64-nfp\n\n");
            for (int v = 0; v < variants.length; v++) {
                String name = ".text.i32.me" + v;
                all.code(name, 32, v, variants[v]);
                StringBuilder alone = new StringBuilder();
                ObjdumpListing.write(NfpElfFile.parse(new NfpElfWriter().code(name, 32, v, variants[v]).build()), "x", alone);
                expected.append(alone.substring(alone.indexOf("\nDisassembly")));
            }
            NfpElfFile file = NfpElfFile.parse(all.build());
            StringBuilder chars = new StringBuilder();
            ObjdumpListing.write(file, "all.elf", chars);
            assertEquals(expected.toString(), chars.toString(), words + " words per section");
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            ObjdumpListing.writeBytes(file, "all.elf", bytes, ContextMode.FROM_FILE);
            assertEquals(expected.toString(), bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
    }
}
