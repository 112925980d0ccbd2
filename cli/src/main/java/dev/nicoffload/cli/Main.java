package dev.nicoffload.cli;

import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.testing.vm.VmException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nicoffload}: offload eBPF programs to SmartNICs, inspect NFP microcode, and try it all in
 * the netdevsim test VM.
 *
 * <p>Exit codes: 0 success; 1 the operation failed (the kernel's errno, extack and verifier log
 * are printed) or, for {@code check}, a program cannot be offloaded; 2 usage error or bad
 * argument; for {@code vm}, the guest command's own status; 125 the VM could not run the command
 * (QEMU/kernel missing, timeout, panic).
 */
@Command(name = "nicoffload", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Offload eBPF programs to SmartNICs (Netronome NFP, netdevsim) from Java.",
        subcommands = {DevicesCommand.class, LoadCommand.class, AttachCommand.class, DetachCommand.class,
                ProgCommand.class, MapCommand.class, CheckCommand.class, NfpDisasmCommand.class, VmCommand.class, DemoCommand.class},
        footer = {"", "Exit codes: 0 ok; 1 operation failed / not offloadable (check); 2 usage; vm: the command's status, 125 VM failure."})
public final class Main {
    /** Runs the tool and exits with its status. */
    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("nfp-disasm")) {
            // the disassembler's contract is byte-exact output and speed: skip picocli's start-up,
            // and on success System.exit's exit logging (its workers are daemon threads)
            int code = NfpDisasmCommand.run(Arrays.copyOfRange(args, 1, args.length));
            if (code != 0) {
                System.exit(code);
            }
            return;
        }
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit status. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException ? 2
                : e instanceof VmException ? 125 : 1);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            String name = commandLine.getCommandName();
            if (e instanceof OffloadException || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                    || e instanceof VmException) {
                commandLine.getErr().println(name + ": " + e.getMessage());
            } else {
                commandLine.getErr().println(name + ": unexpected " + e);
                e.printStackTrace(commandLine.getErr());
            }
            return commandLine.getExitCodeExceptionMapper().getExitCode(e);
        });
        return cli.execute(args);
    }
}
