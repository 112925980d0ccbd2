package dev.nicoffload.cli;

import dev.nicoffload.jit.tool.NfpDisasmTraining;
import java.io.IOException;

/**
 * The workload the {@code ./nicoffload} launcher runs once after a build, on JDK 25 and later,
 * to record an ahead-of-time cache ({@code -XX:AOTCacheOutput}) of the classes the tool loads
 * and links: later runs start from that cache. It runs {@code nfp-disasm}'s training workload
 * ({@link NfpDisasmTraining}) and the command-line parsing of every command through their help.
 * Its output is of no interest (the launcher discards it).
 */
public final class AotTraining {
    private AotTraining() {}

    /**
     * Runs the training workload.
     *
     * @param args ignored
     * @throws IOException if the disassembler's temporary input files cannot be written
     */
    public static void main(String[] args) throws IOException {
        NfpDisasmTraining.run();
        for (String command : new String[] {"devices", "load", "attach", "detach", "prog", "map", "check", "vm", "demo"}) {
            Main.run(command, "--help");
        }
        Main.run("--help");
    }
}
