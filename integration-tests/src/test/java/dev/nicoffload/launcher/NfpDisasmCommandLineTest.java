package dev.nicoffload.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nicoffload.testing.vm.KernelImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The {@code nicoffload nfp-disasm} command-line contract, run through the real {@code ./nicoffload}
 * launcher (its exec of the disassembler module with its AOT cache, as users and outside checks run
 * it): word listings against the objdump vectors of ../shared/nfp-vectors in all three modes, a
 * firmware file against the oracle objdump when the jit-inspect tests have fetched it, and the exit
 * codes and messages for bad input. The build step of the launcher is skipped (this Maven build has
 * just built everything; NICOFFLOAD_IN_GUEST is how the guest skips it too).
 */
class NfpDisasmCommandLineTest {
    private static final int ROWS = 20_000;
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    private record Result(int code, String out, String err) {}

    private static Result nicoffload(byte[] stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ROOT.resolve("nicoffload").toString(), "nfp-disasm"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("NICOFFLOAD_IN_GUEST", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile("nfp-disasm", ".out");
        Path err = Files.createTempFile("nfp-disasm", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
            assertTrue(p.waitFor(2, TimeUnit.MINUTES), "nfp-disasm finished");
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The first {@link #ROWS} rows of a vector file: word and unescaped objdump text. */
    private static List<String[]> vectors(String file) throws IOException {
        Path shared = KernelImage.sharedDirectory().orElseThrow(() -> new IllegalStateException("../shared not found"));
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(shared.resolve("nfp-vectors").resolve(file))), StandardCharsets.US_ASCII))) {
            String line;
            while (rows.size() < ROWS && (line = r.readLine()) != null) {
                String[] f = line.split("\t");
                rows.add(new String[] {f[0], f[1].replace("\\t", "\t").replace("\\n", "\n").replace("\\\\", "\\")});
            }
        }
        return rows;
    }

    private static void checkWords(String file, String... options) throws Exception {
        List<String[]> rows = vectors(file);
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String[] row : rows) {
            in.append(row[0]).append('\n');
            expected.append(row[1]).append('\n');
        }
        List<String> args = new ArrayList<>(List.of(options));
        args.add("--words");
        Result r = nicoffload(in.toString().getBytes(StandardCharsets.US_ASCII), args.toArray(String[]::new));
        assertEquals("", r.err());
        assertEquals(0, r.code());
        String[] got = r.out().split("\n", -1);
        String[] want = expected.toString().split("\n", -1);
        for (int i = 0; i < Math.min(got.length, want.length); i++) {
            assertEquals(want[i], got[i], file + " row " + i + " (word " + (i < rows.size() ? rows.get(i)[0] : "-") + ")");
        }
        assertEquals(want.length, got.length, "one line per word");
    }

    @Test
    void wordsPrintWhatObjdumpPrints() throws Exception {
        checkWords("nfp6000-vectors.tsv.gz");
    }

    @Test
    void wordsWithCtx4PrintWhatObjdumpPrints() throws Exception {
        checkWords("nfp6000-vectors-ctx4.tsv.gz", "--ctx4");
    }

    @Test
    void wordsWith3rdParty32PrintWhatObjdumpPrints() throws Exception {
        checkWords("nfp6000-vectors-3rdparty32.tsv.gz", "--3rdparty32");
    }

    @Test
    void firmwareFileIsListedExactlyAsObjdumpListsIt() throws Exception {
        Path oracle = KernelImage.cacheDirectory().resolve("oracle");
        Path objdump = oracle.resolve("binutils/build/binutils/objdump");
        Path bpf = oracle.resolve("firmware/lib/firmware/netronome/bpf");
        assumeTrue(Files.isExecutable(objdump) && Files.isDirectory(bpf),
                "the oracle objdump and Debian's firmware-netronome are not in " + oracle
                        + " (jit-inspect's FirmwareOracleTest fetches them; it could not here)");
        Path firmware;
        try (Stream<Path> files = Files.list(bpf)) {
            firmware = files.filter(f -> f.toString().endsWith(".nffw")).sorted().findFirst().orElseThrow();
        }
        Process p = new ProcessBuilder(objdump.toString(), "-d", "-z", "-m", "nfp", "--no-show-raw-insn", firmware.toString())
                .redirectErrorStream(true).start();
        byte[] expected = p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());
        Result r = nicoffload(new byte[0], firmware.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(expected.length > 1_000_000, "a real firmware listing");
        assertEquals(new String(expected, StandardCharsets.ISO_8859_1), r.out());
    }

    @Test
    void badInputEndsWithAMessageAndExitCode() throws Exception {
        Result badWord = nicoffload("000000f0000c0300\nnot-a-word\n".getBytes(StandardCharsets.US_ASCII), "--words");
        assertEquals(1, badWord.code());
        assertEquals("nop\n", badWord.out(), "the good line before the bad one");
        assertTrue(badWord.err().startsWith("nfp-disasm: stdin: "), badWord.err());

        Result missing = nicoffload(new byte[0], "/nonexistent/fw.nffw");
        assertEquals(1, missing.code());
        assertEquals("nfp-disasm: /nonexistent/fw.nffw: no such file\n", missing.err());

        Path notElf = Files.createTempFile("not-elf", ".bin");
        try {
            Files.writeString(notElf, "hello");
            Result r = nicoffload(new byte[0], notElf.toString());
            assertEquals(1, r.code());
            assertTrue(r.err().contains("not an ELF file"), r.err());
        } finally {
            Files.delete(notElf);
        }

        Result usage = nicoffload(new byte[0], "--bogus");
        assertEquals(2, usage.code());
        assertTrue(usage.err().startsWith("nfp-disasm: unknown option --bogus\nusage: nfp-disasm"), usage.err());
    }
}
