package dev.nicoffload.jit.bench;

import dev.nicoffload.jit.tool.NfpDisasmTool;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;

/**
 * A bare process entry point for {@link NfpDisasmTool}, used by the whole-process comparison
 * with objdump ({@code src/test/scripts/bench-vs-objdump.sh}); the real command is the
 * {@code nicoffload} CLI.
 */
public final class NfpDisasmMain {
    private NfpDisasmMain() {}

    /** Runs {@code nfp-disasm} with the process's standard streams and exits with its code. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        int rc = NfpDisasmTool.run(args, System.in, out, System.err);
        out.flush();
        System.exit(rc);
    }
}
