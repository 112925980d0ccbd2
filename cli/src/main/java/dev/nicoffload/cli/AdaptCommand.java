package dev.nicoffload.cli;

import dev.nicoffload.offload.adapt.AdaptTool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code nicoffload adapt IN.o -o OUT.o [--program NAME] [--allow CHANGE[,CHANGE...]]}: edits an
 * object so that it offloads without changing what it does, and prints each change. Exit 0 when
 * OUT.o was written, 1 when the program cannot be adapted (reasons printed, no OUT.o), 2 usage.
 * Arguments are passed through untouched (a stable contract).
 */
@Command(name = "adapt", description = {
        "Edit a BPF object so that it offloads to an NFP without changing what it does",
        "(per-CPU maps shared with atomic adds, .rodata folded, BPF_F_NO_PREALLOC dropped),",
        "and print each change; --allow lru-to-hash,tc-ok-to-unspec for changes of meaning.",
        "  adapt IN.o -o OUT.o [--program NAME] [--allow CHANGE[,CHANGE...]]"})
final class AdaptCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return AdaptTool.run(args.toArray(String[]::new), System.out, System.err);
    }
}
