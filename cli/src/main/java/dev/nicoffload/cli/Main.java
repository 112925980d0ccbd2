package dev.nicoffload.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nicoffload}: offload eBPF programs to SmartNICs, inspect NFP microcode, and try it all in
 * the netdevsim test VM.
 *
 * <p>Exit codes: 0 success; 1 the operation failed (or, for {@code check}, the program cannot be
 * offloaded); 2 usage error; for {@code vm}, the guest command's own status; 125 the VM could not
 * run the command (QEMU/kernel missing, timeout, panic).
 */
@Command(name = "nicoffload", mixinStandardHelpOptions = true, version = "nicoffload 0.1.0-SNAPSHOT",
        description = "Offload eBPF programs to SmartNICs (Netronome NFP, netdevsim) from Java.",
        subcommands = {VmCommand.class, DemoCommand.class, CheckCommand.class, NfpDisasmCommand.class},
        exitCodeOnInvalidInput = 2)
public final class Main {
    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit status. */
    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }
}
