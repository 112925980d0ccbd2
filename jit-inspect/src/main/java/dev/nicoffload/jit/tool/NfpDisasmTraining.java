package dev.nicoffload.jit.tool;

import dev.nicoffload.jit.elf.NfpElfWriter;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A representative {@code nfp-disasm} workload for recording a JDK ahead-of-time cache
 * ({@code -XX:AOTCacheOutput}), so that a short-lived disassembler process starts with its classes
 * already loaded and linked: it lists a firmware-like NFP ELF file (the same code on several MEs,
 * a few words differing), a raw image and words from stdin, and prints the usage. Output is
 * discarded. The {@code ./nicoffload} launcher records its caches with it after each build.
 *
 * <p>The cache holds every class the workload loads, and a larger cache costs every later start
 * (mapping, relocation, page faults), so the workload uses only what the command itself uses:
 * its input files are written with java.io into a directory it is given, not through the
 * temporary-file API (which brings in {@code SecureRandom} and its providers).
 */
public final class NfpDisasmTraining {
    private NfpDisasmTraining() {}

    /**
     * Runs the workload once.
     *
     * @param args optionally a directory for the two input files (default: the system's temporary directory)
     * @throws IOException if the input files cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            run(new File(args[0]));
        } else {
            run();
        }
    }

    /**
     * Runs the workload once with its input files in the system's temporary directory.
     *
     * @throws IOException if the input files cannot be written
     * @throws IllegalStateException if a listing fails (it cannot, unless the tool is broken)
     */
    public static void run() throws IOException {
        run(new File(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Runs the workload once, writing nothing but two input files in {@code dir} (deleted again).
     *
     * @throws IOException if the input files cannot be written
     * @throws IllegalStateException if a listing fails (it cannot, unless the tool is broken)
     */
    public static void run(File dir) throws IOException {
        long seed = 0x6000;
        long[] code = new long[6_000];
        for (int i = 0; i < code.length; i++) {
            seed += 0x9E3779B97F4A7C15L; // SplitMix64
            long z = (seed ^ (seed >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            code[i] = (z ^ (z >>> 31)) & 0xff_ffff_ffffL;
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
        String unique = "nfp-disasm-training-" + Long.toHexString(System.nanoTime()); // two trainings at once do not collide
        File elfFile = new File(dir, unique + ".nffw");
        File rawFile = new File(dir, unique + ".bin");
        PrintStream none = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try {
            write(elfFile, elf.build());
            write(rawFile, NfpElfWriter.words(code));
            int failed = NfpDisasmTool.run(new String[] {elfFile.getPath()}, System.in, none, none)
                    | NfpDisasmTool.run(new String[] {"--raw", rawFile.getPath()}, System.in, none, none)
                    | NfpDisasmTool.run(new String[] {"--words"}, new ByteArrayInputStream(words), none, none)
                    | NfpDisasmTool.run(new String[] {"--help"}, System.in, none, none);
            if (failed != NfpDisasmTool.OK) {
                throw new IllegalStateException("the nfp-disasm training workload failed");
            }
        } finally {
            elfFile.delete();
            rawFile.delete();
        }
    }

    private static void write(File f, byte[] bytes) throws IOException {
        try (FileOutputStream out = new FileOutputStream(f)) {
            out.write(bytes);
        }
    }
}
