package dev.nicoffload.cli;

import dev.nicoffload.jit.io.SafeText;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.testing.vm.VmException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code nicoffload}: offload eBPF programs to SmartNICs, inspect NFP microcode, and try it all in
 * the netdevsim test VM.
 *
 * <p>Exit codes: 0 success; 1 the operation failed (the kernel's errno, extack and verifier log
 * are printed) or, for {@code check}, a program cannot be offloaded; 2 usage error or bad
 * argument (including an object file that is missing, not a regular file, over the 64 MiB bound
 * or malformed); for {@code vm}, the guest command's own status; 125 the VM could not run the
 * command (QEMU/kernel missing, timeout, panic). {@code nfp-disasm} keeps objdump's convention:
 * 1 for any bad input, 2 for usage. Failures are mapped to a message and a status in one place,
 * {@link #exitCode} and {@link #message}: one line on standard error, never a stack trace.
 */
@Command(name = "nicoffload", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Offload eBPF programs to SmartNICs (Netronome NFP, netdevsim) from Java.",
        subcommands = {DevicesCommand.class, LoadCommand.class, AttachCommand.class, DetachCommand.class,
                ProgCommand.class, MapCommand.class, CheckCommand.class, AdaptCommand.class, NfpDisasmCommand.class, VmCommand.class, DemoCommand.class},
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

    /** Runs the tool and returns its exit status; every failure ends as one message on standard error, never a stack trace. */
    public static int run(String... args) {
        try {
            CommandLine cli = new CommandLine(new Main());
            cli.setExitCodeExceptionMapper(Main::exitCode);
            cli.setParameterExceptionHandler((e, arguments) -> {
                CommandLine c = e.getCommandLine();
                c.getErr().println(commandName(c) + ": " + SafeText.escape(String.valueOf(e.getMessage()))
                        + " (see nicoffload " + commandName(c) + " --help)");
                c.getErr().flush();
                return exitCode(e);
            });
            cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
                commandLine.getErr().println(commandName(commandLine) + ": " + message(e));
                commandLine.getErr().flush();
                return exitCode(e);
            });
            return cli.execute(args);
        } catch (RuntimeException | LinkageError | VirtualMachineError e) {
            // outside a command's execution (picocli itself): still one line
            System.err.println("nicoffload: " + message(e));
            return exitCode(e);
        }
    }

    /**
     * The exit status of a failure, decided here for every command: 2 for usage errors and bad
     * arguments (picocli's parse errors, {@link IllegalArgumentException}, and an object file that
     * cannot be used, {@link ObjectFormatException}); 125 when the test VM failed; 1 for everything
     * else (the kernel refused, an I/O error, an internal error).
     */
    static int exitCode(Throwable e) {
        if (e instanceof CommandLine.ParameterException || e instanceof IllegalArgumentException || e instanceof ObjectFormatException) {
            return 2;
        }
        return e instanceof VmException ? 125 : 1;
    }

    /**
     * One message for a failure, mapped here for every command: the kernel's own text (errno,
     * extack, verifier log) for {@link OffloadException}; the message, with control characters
     * escaped, for argument, file and state errors; the reason of an I/O error; and for anything
     * else (a defect) its type, message and where it was thrown, on one line.
     */
    static String message(Throwable e) {
        if (e instanceof OffloadException) {
            return SafeText.escapeKeepingLines(String.valueOf(e.getMessage())); // verifier logs span lines; names come from the user
        }
        if (e instanceof UncheckedIOException u) {
            return SafeText.escape(u.getMessage() + ": " + describe(u.getCause()));
        }
        if (e instanceof IOException io) {
            return SafeText.escape(describe(io));
        }
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof ObjectFormatException
                || e instanceof VmException) {
            return SafeText.escape(String.valueOf(e.getMessage()));
        }
        StackTraceElement[] where = e.getStackTrace();
        return "internal error: " + e.getClass().getName() + ": " + SafeText.escape(String.valueOf(e.getMessage()))
                + (where.length > 0 ? " (at " + where[0] + ")" : "");
    }

    /** What went wrong in an I/O error, with the file it concerns. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or directory";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + ": already exists";
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
        }
        return String.valueOf(e.getMessage());
    }

    /** {@code map update} for a subcommand, {@code nicoffload} for the tool itself. */
    private static String commandName(CommandLine c) {
        String q = c.getCommandSpec().qualifiedName(" ");
        return q.startsWith("nicoffload ") ? q.substring("nicoffload ".length()) : q;
    }
}
