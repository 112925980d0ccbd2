package dev.nicoffload.jit.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nicoffload.jit.testsupport.SharedFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Compares the disassembler with every row of the objdump-generated vector files in
 * {@code shared/nfp-vectors} (read directly from the .gz files). Failures are reported grouped by
 * instruction class, with a few examples each.
 */
class VectorFilesTest {
    private static final int EXAMPLES_PER_CLASS = 5;

    @Test
    void defaultMode() throws IOException {
        check("nfp6000-vectors.tsv.gz", NfpDisassembler.defaults());
    }

    @Test
    void fourContexts() throws IOException {
        check("nfp6000-vectors-ctx4.tsv.gz", NfpDisassembler.of(true, false));
    }

    @Test
    void thirdParty32() throws IOException {
        check("nfp6000-vectors-3rdparty32.tsv.gz", NfpDisassembler.of(false, true));
    }

    @Test
    void pcPrefixRows() throws IOException {
        List<String> lines = readGz(vectors().resolve("nfp6000-vectors-pc.tsv.gz"));
        List<String> failures = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (String line : lines) {
            String[] c = line.split("\t", -1);
            long words = Long.parseLong(c[0]);
            boolean scs = c[1].equals("1");
            int menum = Integer.parseInt(c[2]);
            long index = Long.parseLong(c[3]);
            long word = Long.parseUnsignedLong(c[4], 16);
            String expected = unescape(c[5]);
            sb.setLength(0);
            NfpDisassembler.appendPcPrefix(sb, index, words, scs, menum);
            NfpDisassembler.defaults().disassemble(word, sb);
            if (!sb.toString().equals(expected)) {
                failures.add(line + "  -> got [" + sb + "]");
            }
        }
        assertEquals(327, lines.size(), "row count of the PC-prefix file");
        if (!failures.isEmpty()) {
            fail(failures.size() + " PC-prefix mismatches, e.g.\n" + String.join("\n", failures.subList(0, Math.min(10, failures.size()))));
        }
    }

    private static void check(String file, NfpDisassembler dis) throws IOException {
        List<String> lines = readGz(vectors().resolve(file));
        Map<String, List<String>> byClass = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        StringBuilder sb = new StringBuilder(128);
        int mismatches = 0;
        for (String line : lines) {
            int t1 = line.indexOf('\t');
            int t2 = line.indexOf('\t', t1 + 1);
            int t3 = line.indexOf('\t', t2 + 1);
            long word = Long.parseUnsignedLong(line, 0, t1, 16);
            String expected = unescape(line.substring(t1 + 1, t2));
            String cls = line.substring(t3 + 1);
            assertEquals(cls, InstructionClass.of(word).label(), "class column of " + line.substring(0, t1));
            sb.setLength(0);
            boolean err = dis.disassemble(word, sb);
            String got = sb.toString();
            if (!got.equals(expected) || err != expected.endsWith(NfpDisassembler.ERROR_SUFFIX)) {
                mismatches++;
                counts.merge(cls, 1, Integer::sum);
                List<String> ex = byClass.computeIfAbsent(cls, k -> new ArrayList<>());
                if (ex.size() < EXAMPLES_PER_CLASS) {
                    ex.add(line.substring(0, t1) + " (" + line.substring(t2 + 1, t3) + ")\n      want: "
                            + expected + "\n      got:  " + got);
                }
            }
        }
        assertEquals(318_986, lines.size(), "row count of " + file);
        if (mismatches > 0) {
            StringBuilder msg = new StringBuilder(file + ": " + mismatches + " of " + lines.size()
                    + " words differ from objdump\n");
            counts.forEach((cls, n) -> {
                msg.append("  ").append(cls).append(": ").append(n).append('\n');
                byClass.get(cls).forEach(e -> msg.append("    ").append(e).append('\n'));
            });
            fail(msg.toString());
        }
    }

    static Path vectors() {
        return SharedFiles.sharedDir().resolve("nfp-vectors");
    }

    static List<String> readGz(Path p) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(p), 1 << 16), StandardCharsets.US_ASCII))) {
            List<String> out = new ArrayList<>();
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                if (!l.isEmpty()) {
                    out.add(l);
                }
            }
            return out;
        }
    }

    /** Undoes the vector files' escaping: backslash-t, backslash-n, double backslash. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 't' ? '\t' : n == 'n' ? '\n' : n);
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
