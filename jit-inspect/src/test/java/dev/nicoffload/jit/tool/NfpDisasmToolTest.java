package dev.nicoffload.jit.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.jit.testsupport.Oracle;
import dev.nicoffload.jit.testsupport.SharedFiles;
import dev.nicoffload.jit.elf.NfpElfWriter;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NfpDisasmToolTest {
    private static final long NOP = 0x000000f0000c0300L;
    private static final long ILA_READ = 0x0000000000300b01L;
    private static final long MODE2 = 0x00000800000003c4L;

    /** Result of one in-process run. */
    record Run(int rc, String out, String err) {}

    static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NfpDisasmTool.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)),
                new PrintStream(out, false, StandardCharsets.ISO_8859_1),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(rc, out.toString(StandardCharsets.ISO_8859_1), err.toString(StandardCharsets.UTF_8));
    }

    /** word + expected text pairs of a vector file (text unescaped). */
    static List<String[]> vectors(String file, int limit) throws IOException {
        Path p = SharedFiles.sharedDir().resolve("nfp-vectors").resolve(file);
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            for (String l = r.readLine(); l != null && rows.size() < limit; l = r.readLine()) {
                String[] c = l.split("\t");
                rows.add(new String[] {c[0], c[1].replace("\\t", "\t")});
            }
        }
        return rows;
    }

    private static void checkWords(String file, int limit, String... opts) throws IOException {
        List<String[]> rows = vectors(file, limit);
        StringBuilder in = new StringBuilder();
        StringBuilder want = new StringBuilder();
        for (String[] r : rows) {
            in.append(r[0]).append('\n');
            want.append(r[1]).append('\n');
        }
        String[] args = Arrays.copyOf(opts, opts.length + 1);
        args[opts.length] = "--words";
        Run res = run(in.toString(), args);
        assertEquals(0, res.rc(), res.err());
        assertEquals(want.toString(), res.out());
    }

    @Test
    void wordsMatchTheVectorFiles() throws IOException {
        checkWords("nfp6000-vectors.tsv.gz", Integer.MAX_VALUE);
        checkWords("nfp6000-vectors-ctx4.tsv.gz", 40_000, "--ctx4");
        checkWords("nfp6000-vectors-3rdparty32.tsv.gz", 40_000, "--3rdparty32");
        checkWords("nfp6000-vectors.tsv.gz", 5_000, "--ctx4", "--ctx8");
    }

    @Test
    void errorSuffixIsARealTab() {
        Run r = run("9787e32642bb8c17\n", "--words");
        assertEquals("<invalid cmd target -1:6:2>[]\t # ERROR\n", r.out());
    }

    @Test
    void pcPrefixMatchesTheVectorFile() throws IOException {
        Path p = SharedFiles.sharedDir().resolve("nfp-vectors/nfp6000-vectors-pc.tsv.gz");
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.US_ASCII))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                String[] c = l.split("\t");
                if (c[1].equals("0")) {
                    rows.add(c);
                }
            }
        }
        assertTrue(rows.size() > 50);
        // group rows by section size; build each section with the row words at their indices
        java.util.Map<Integer, List<String[]>> bySize = new java.util.TreeMap<>();
        for (String[] c : rows) {
            bySize.computeIfAbsent(Integer.parseInt(c[0]), k -> new ArrayList<>()).add(c);
        }
        for (var e : bySize.entrySet()) {
            String[] words = new String[e.getKey()];
            Arrays.fill(words, "000000f0000c0300");
            for (String[] c : e.getValue()) {
                words[Integer.parseInt(c[3])] = c[4];
            }
            Run r = run(String.join("\n", words) + "\n", "--pc", "--words");
            assertEquals(0, r.rc(), r.err());
            String[] lines = r.out().split("\n");
            assertEquals(e.getKey(), lines.length);
            for (String[] c : e.getValue()) {
                assertEquals(c[5].replace("\\t", "\t"), lines[Integer.parseInt(c[3])], "section of " + e.getKey());
            }
        }
    }

    @Test
    void wordInputToleratesBlanksAndRejectsGarbage() {
        Run ok = run("  000000f0000c0300 \r\n\n0000000000300B01\n", "--words");
        assertEquals(0, ok.rc(), ok.err());
        assertEquals("nop\nila[read, $xfer_3, gprA_1, <<8, gprB_2, 1]\n", ok.out());

        Run bad = run("000000f0000c0300\n0000000000300b01\nzz00000000300b01\n", "--words");
        assertEquals(1, bad.rc());
        assertTrue(bad.err().contains("line 3"), bad.err());
        assertEquals("nop\nila[read, $xfer_3, gprA_1, <<8, gprB_2, 1]\n", bad.out(), "good lines before are printed");

        assertEquals(1, run("f0000c0300\n", "--words").rc());
        assertEquals(1, run("000000f0000c0300 00\n", "--words").rc());
        assertEquals(1, run("x".repeat(100) + "\n", "--words").rc());
        Run empty = run("", "--words");
        assertEquals(0, empty.rc());
        assertEquals("", empty.out());
    }

    @Test
    void usageErrors() {
        assertEquals(2, run("").rc());
        assertEquals(2, run("", "--bogus", "--words").rc());
        assertEquals(2, run("", "--words", "file").rc());
        assertEquals(2, run("", "--raw").rc());
        assertEquals(2, run("", "--pc", "f.nffw").rc());
        assertEquals(2, run("", "a", "b").rc());
        Run r = run("", "--nope");
        assertTrue(r.err().contains("unknown option --nope") && r.err().contains("usage:"), r.err());
        Run help = run("", "--help");
        assertEquals(0, help.rc());
        assertTrue(help.out().startsWith("usage: nfp-disasm"));
    }

    @Test
    void elfFileListing(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ok.elf");
        Files.write(f, new NfpElfWriter().code(".text", 32, 0, NOP, ILA_READ, MODE2).build());
        Run r = run("", f.toString());
        assertEquals(0, r.rc(), r.err());
        assertEquals("\n" + f + ":     file format elf64-nfp\n\n\nDisassembly of section .text:\n\n"
                + "0000000000000000 <.text>:\n"
                + "   0:\t.0  nop\n"
                + "   8:\t.1  ila[read, $xfer_3, gprA_1, <<8, gprB_2, 1]\n"
                + "  10:\t.2  ila[read, 0x0, $xfer_20, <<8, gprB_0, 1]\n", r.out());
        Run ctx4 = run("", "--ctx4", f.toString());
        assertTrue(ctx4.out().endsWith("  10:\t.2  ila[read, 0x0, $xfer_36, <<8, gprB_0, 1]\n"), ctx4.out());
    }

    @Test
    void badFiles(@TempDir Path dir) throws IOException {
        Run missing = run("", dir.resolve("nope.nffw").toString());
        assertEquals(1, missing.rc());
        assertTrue(missing.err().contains("no such file"));

        Path text = dir.resolve("text.txt");
        Files.writeString(text, "hello");
        Run notElf = run("", text.toString());
        assertEquals(1, notElf.rc());
        assertTrue(notElf.err().contains("not an ELF file"), notElf.err());

        Path x86 = dir.resolve("x86.o");
        Files.write(x86, new NfpElfWriter().machine(62).code(".text", 0, 0, NOP).build());
        Run foreign = run("", x86.toString());
        assertEquals(1, foreign.rc());
        assertTrue(foreign.err().contains("e_machine 62"), foreign.err());

        byte[] good = new NfpElfWriter().code(".text", 32, 0, NOP).build();
        Path cut = dir.resolve("cut.elf");
        Files.write(cut, Arrays.copyOf(good, good.length - 30));
        Run truncated = run("", cut.toString());
        assertEquals(1, truncated.rc());
        assertTrue(truncated.err().contains("section header"), truncated.err());
        assertEquals("", truncated.out());

        assertEquals(1, run("", dir.toString()).rc(), "a directory is not a readable file");
    }

    @Test
    void rawImage(@TempDir Path dir) throws IOException {
        byte[] img;
        try (InputStream in = NfpDisasmToolTest.class.getResourceAsStream("/dev/nicoffload/jit/image/xdp_pass.nfp.bin")) {
            img = in.readAllBytes();
        }
        Path f = dir.resolve("xdp_pass.bin");
        Files.write(f, img);
        Run r = run("", "--raw", f.toString());
        assertEquals(0, r.rc(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(26, lines.length);
        assertEquals("  20:\t .4  br[.15000]", lines[4]);
        assertEquals("  c8:\t.25  nop", lines[25]);

        Path odd = dir.resolve("odd.bin");
        Files.write(odd, Arrays.copyOf(img, 20));
        // intro in 4-context numbering: plen (GPR 22 of bank B) = 0x3fff, then plen &= pkt_vec.len (LM1 word 0)
        Run o = run("", "--ctx4", "--raw", odd.toString());
        assertEquals(1, o.rc());
        assertEquals("   0:\t.0  immed[gprB_22, 0x3fff]\n   8:\t.1  alu[gprB_22, gprB_22, AND, *l$index1]\n  10:\t\t # ERROR\n",
                o.out());
        assertTrue(o.err().contains("not a multiple of 8"), o.err());
    }

    @Test
    void fileModeMatchesTheOracle(@TempDir Path dir) throws Exception {
        Oracle oracle = Oracle.require();
        Path fw;
        try (var s = Files.list(oracle.firmwareDir().resolve("bpf"))) {
            fw = s.filter(p -> p.toString().endsWith(".nffw")).sorted().findFirst().orElseThrow();
        }
        for (String[] opts : new String[][] {{}, {"--ctx4"}, {"--ctx8"}, {"--ctx4", "--ctx8"}}) {
            List<String> args = new ArrayList<>(List.of("-d", "-z", "-m", "nfp", "--no-show-raw-insn"));
            if (opts.length > 0) {
                args.add("-M");
                args.add(String.join(",", Arrays.stream(opts).map(o -> o.substring(2)).toList()));
            }
            args.add(fw.toString());
            String want = oracle.run(args);
            String[] ours = Arrays.copyOf(opts, opts.length + 1);
            ours[opts.length] = fw.toString();
            Run r = run("", ours);
            assertEquals(0, r.rc(), r.err());
            assertTrue(want.equals(r.out()), "listing with " + Arrays.toString(opts) + " differs from objdump");
        }
        // --raw: the lines objdump prints for a .text section holding the same bytes
        byte[] img;
        try (InputStream in = NfpDisasmToolTest.class.getResourceAsStream("/dev/nicoffload/jit/image/xdp_call.nfp.bin")) {
            img = in.readAllBytes();
        }
        Path raw = dir.resolve("img.bin");
        Files.write(raw, img);
        Path elf = dir.resolve("img.elf");
        Files.write(elf, new NfpElfWriter().section(".text", NfpElfWriter.PROGBITS, NfpElfWriter.AX, (32L << 24) | 1, img).build());
        String want = oracle.run(List.of("-d", "-z", "-m", "nfp", "--no-show-raw-insn", "-M", "ctx4", elf.toString()));
        Run r = run("", "--ctx4", "--raw", raw.toString());
        assertEquals(0, r.rc(), r.err());
        assertTrue(want.endsWith("<.text>:\n" + r.out()), "raw listing differs from objdump's .text lines");
    }

    @Test
    void cfgOfARawImageIsDotOnStdoutOrSvgThroughGraphviz(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path img = tmp.resolve("xdp_pass.nfp.bin");
        try (java.io.InputStream in = dev.nicoffload.jit.image.JitImage.class.getResourceAsStream("xdp_pass.nfp.bin")) {
            java.nio.file.Files.write(img, in.readAllBytes());
        }
        Run dot = run("", "--cfg", "-", "--raw", img.toString());
        assertEquals(0, dot.rc(), dot.err());
        assertTrue(dot.out().startsWith("digraph nfp {"), dot.out());
        assertTrue(dot.out().contains("b3 -> b2 [color=darkgreen"), dot.out());

        java.nio.file.Path dotFile = tmp.resolve("g.dot");
        assertEquals(0, run("", "--raw", img.toString(), "--cfg", dotFile.toString()).rc());
        assertEquals(dot.out(), java.nio.file.Files.readString(dotFile));

        java.nio.file.Path svg = tmp.resolve("g.svg");   // graphviz is in scripts/lib.sh's package list
        Run r = run("", "--cfg", svg.toString(), "--raw", img.toString());
        assertEquals(0, r.rc(), r.err());
        String text = java.nio.file.Files.readString(svg);
        assertTrue(text.contains("<svg") && text.contains("next_packet") && text.contains("bcc[.5]"), text);
    }

    @Test
    void cfgNeedsARawImageAndAnOutput() {
        Run noRaw = run("", "--cfg", "-", "some.nffw");
        assertEquals(2, noRaw.rc());
        assertTrue(noRaw.err().contains("--cfg applies to --raw FILE"), noRaw.err());
        Run noOut = run("", "--raw", "x.bin", "--cfg");
        assertEquals(2, noOut.rc());
        assertTrue(noOut.err().contains("--cfg needs an output file"), noOut.err());
        Run odd = run("", "--cfg", "-", "--raw", "/nonexistent.bin");
        assertEquals(1, odd.rc());
    }
}
