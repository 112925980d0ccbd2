package dev.nicoffload.jit.tool;

import dev.nicoffload.jit.elf.NfpElfWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * A representative {@code nfp-disasm} workload for recording a JDK ahead-of-time cache
 * ({@code -XX:AOTCacheOutput}), so that a short-lived disassembler process starts with its classes
 * already loaded and linked: it lists a firmware-like NFP ELF file (the same code on several MEs,
 * a few words differing), a raw image and words from stdin, and prints the usage. Output is
 * discarded. The {@code ./nicoffload} launcher records its caches with it after each build.
 */
public final class NfpDisasmTraining {
    private NfpDisasmTraining() {}

    /**
     * Runs the workload once.
     *
     * @param args ignored
     * @throws IOException if the temporary input files cannot be written
     */
    public static void main(String[] args) throws IOException {
        run();
    }

    /**
     * Runs the workload once, writing nothing but two temporary files (deleted again).
     *
     * @throws IOException if the temporary input files cannot be written
     * @throws IllegalStateException if a listing fails (it cannot, unless the tool is broken)
     */
    public static void run() throws IOException {
        SplittableRandom rnd = new SplittableRandom(0x6000);
        long[] code = new long[6_000];
        for (int i = 0; i < code.length; i++) {
            code[i] = rnd.nextLong() & 0xff_ffff_ffffL;
        }
        NfpElfWriter elf = new NfpElfWriter();
        for (int me = 0; me < 6; me++) {
            long[] words = code.clone();
            words[me * 7] ^= 0x100;
            elf.code(".text.i32.me" + me, 32, me, words);
        }
        elf.meCsrs(".regt.mecsr.i32", 0, 32, 1, 1, 0x8000_0000L, 0x14);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            String hex = Long.toHexString(code[i]);
            text.append("0000000000000000", hex.length(), 16).append(hex).append('\n');
        }
        byte[] words = text.toString().getBytes(StandardCharsets.US_ASCII);
        Path dir = Files.createTempDirectory("nfp-disasm-training");
        Path elfFile = dir.resolve("training.nffw");
        Path rawFile = dir.resolve("training.bin");
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try {
            Files.write(elfFile, elf.build());
            Files.write(rawFile, NfpElfWriter.words(code));
            int failed = NfpDisasmTool.run(new String[] {elfFile.toString()}, System.in, none, none)
                    | NfpDisasmTool.run(new String[] {"--raw", rawFile.toString()}, System.in, none, none)
                    | NfpDisasmTool.run(new String[] {"--words"}, new ByteArrayInputStream(words), none, none)
                    | NfpDisasmTool.run(new String[] {"--help"}, System.in, none, none);
            if (failed != NfpDisasmTool.OK) {
                throw new IllegalStateException("the nfp-disasm training workload failed");
            }
        } finally {
            Files.deleteIfExists(elfFile);
            Files.deleteIfExists(rawFile);
            Files.deleteIfExists(dir);
        }
    }
}
