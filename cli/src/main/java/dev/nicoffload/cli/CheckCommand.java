package dev.nicoffload.cli;

import dev.nicoffload.offload.precheck.CheckTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code nicoffload check FILE.o [--program NAME] [--profile nfpsim|agilio-cx|DIR] [--mtu N]}: the
 * NFP pre-checker. Prints one finding per line ({@code [nfp] <text>} for what the kernel would
 * print in the verifier log); exit 0 when every selected program can be offloaded, 1 when one
 * cannot, 2 on a usage error. Arguments are passed through untouched (a stable contract).
 */
@Command(name = "check", description = {
        "Tell, before loading, whether the programs of a BPF object can be offloaded to an NFP,",
        "and why not in the kernel's own words.",
        "  check FILE.o [--program NAME] [--profile nfpsim|agilio-cx|DIR] [--mtu N] [--adapt [--allow CHANGE,...]]",
        "--adapt prints what 'adapt' would change, then the verdict on the adapted object."})
final class CheckCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return CheckTool.run(args.toArray(String[]::new), System.in, System.out, System.err);
    }
}
