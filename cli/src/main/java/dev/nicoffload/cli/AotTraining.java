package dev.nicoffload.cli;

import dev.nicoffload.jit.elf.NfpElfWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The workload the {@code ./nicoffload} launcher runs once after a build, on JDK 25 and later,
 * to record an ahead-of-time cache ({@code -XX:AOTCacheOutput}) of the classes the tool loads
 * and links: later runs start from that cache. It exercises {@code nfp-disasm} on an NFP ELF
 * file, a raw image and words on stdin, and the command-line parsing of every command through
 * their help. Its output is of no interest (the launcher discards it).
 */
public final class AotTraining {
    private AotTraining() {}

    /**
     * Runs the training workload.
     *
     * @param args ignored
     * @throws IOException if the temporary input files cannot be written
     */
    public static void main(String[] args) throws IOException {
        SplittableRandom rnd = new SplittableRandom(0x6000);
        long[] code = new long[6_000];
        for (int i = 0; i < code.length; i++) {
            code[i] = rnd.nextLong() & 0xff_ffff_ffffL;
        }
        // a firmware-like file: the same code on several MEs, a few words differing per ME
        NfpElfWriter elf = new NfpElfWriter();
        for (int me = 0; me < 6; me++) {
            long[] words = code.clone();
            words[me * 7] ^= 0x100;
            elf.code(".text.i32.me" + me, 32, me, words);
        }
        elf.meCsrs(".regt.mecsr.i32", 0, 32, 1, 1, 0x8000_0000L, 0x14);
        Path dir = Files.createTempDirectory("nicoffload-aot");
        Path elfFile = dir.resolve("train.nffw");
        Path rawFile = dir.resolve("train.bin");
        try {
            Files.write(elfFile, elf.build());
            Files.write(rawFile, NfpElfWriter.words(code));
            NfpDisasmCommand.run(new String[] {elfFile.toString()});
            NfpDisasmCommand.run(new String[] {"--raw", rawFile.toString()});
            StringBuilder words = new StringBuilder();
            for (int i = 0; i < 2_000; i++) {
                words.append(String.format("%016x%n", code[i]));
            }
            System.setIn(new ByteArrayInputStream(words.toString().getBytes(StandardCharsets.US_ASCII)));
            NfpDisasmCommand.run(new String[] {"--words"});
            NfpDisasmCommand.run(new String[] {"--help"});
        } finally {
            Files.deleteIfExists(elfFile);
            Files.deleteIfExists(rawFile);
            Files.deleteIfExists(dir);
        }
        for (String command : new String[] {"devices", "load", "attach", "detach", "prog", "map", "check", "vm", "demo"}) {
            Main.run(command, "--help");
        }
        Main.run("--help");
    }
}
