package dev.nicoffload.cli;

import dev.nicoffload.jit.tool.NfpDisasmTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code nicoffload nfp-disasm}: the NFP microcode disassembler, printing exactly what GNU objdump
 * 2.40 prints. The arguments are passed through untouched (a stable contract):
 * <pre>
 * nicoffload nfp-disasm [--ctx4|--ctx8] [--3rdparty32] [--pc] --words   &lt; words (16 hex digits per line)
 * nicoffload nfp-disasm FILE                                           (an NFP ELF file, objdump -d -z framing)
 * nicoffload nfp-disasm --raw FILE                                     (a raw little-endian image)
 * </pre>
 * Exit codes: 0 ok, 1 bad input, 2 usage.
 */
@Command(name = "nfp-disasm", description = {
        "Disassemble NFP-6000/4000 microcode exactly as GNU objdump 2.40 does.",
        "  nfp-disasm [--ctx4|--ctx8] [--3rdparty32] [--pc] --words   (words on stdin, one per line)",
        "  nfp-disasm FILE | --raw FILE"})
final class NfpDisasmCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return run(args.toArray(String[]::new));
    }

    /** Runs the tool on the process's standard streams (also the launcher's fast path, without picocli). */
    static int run(String[] args) {
        return NfpDisasmTool.runOnStandardStreams(args);
    }
}
