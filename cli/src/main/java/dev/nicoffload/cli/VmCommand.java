package dev.nicoffload.cli;

import dev.nicoffload.testing.vm.NetdevsimVm;
import dev.nicoffload.testing.vm.VmException;
import dev.nicoffload.testing.vm.VmOptions;
import dev.nicoffload.testing.vm.VmResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nicoffload vm -- CMD [ARGS...]}: runs CMD as root in the netdevsim/nfpsim guest. */
@Command(name = "vm", mixinStandardHelpOptions = true,
        description = {"Boots the netdevsim/nfpsim test kernel under QEMU (TCG) and runs CMD as root inside it,",
                "from the current directory; prints its output and exits with its status.",
                "The host root is visible read-only; the project directory is on PATH."})
final class VmCommand implements Callable<Integer> {
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Kill the guest after this long (default ${DEFAULT-VALUE}).")
    long timeoutSeconds = 1200;

    @Option(names = "--console", description = "Also show the guest's kernel console.")
    boolean console;

    @Option(names = "--memory", paramLabel = "MiB", description = "Guest memory (default ${DEFAULT-VALUE}).")
    int memory = 2048;

    @Parameters(arity = "1..*", paramLabel = "CMD", description = "Command and arguments to run in the guest.")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        if (timeoutSeconds <= 0 || memory < 256) {
            throw new IllegalArgumentException(timeoutSeconds <= 0 ? "--timeout must be a positive number of seconds, got " + timeoutSeconds
                    : "--memory must be at least 256 MiB for the guest, got " + memory);
        }
        VmOptions options = ProjectLayout.vmOptions().withTimeout(Duration.ofSeconds(timeoutSeconds)).withMemoryMiB(memory);
        if (console) {
            options = options.withConsole(System.err);
        }
        boolean interactive = System.console() != null; // progress only for a person at a terminal, never in captured output
        if (interactive) {
            System.err.println("nicoffload vm: booting the test kernel under QEMU (software emulation)...");
        }
        try (NetdevsimVm vm = NetdevsimVm.start(options)) {
            if (interactive) {
                System.err.printf("nicoffload vm: guest ready after %.1f s; running %s%n", vm.bootTime().toMillis() / 1000.0, String.join(" ", command));
            }
            VmResult result = vm.exec(command, Path.of("").toAbsolutePath());
            return result.exitStatus();
        } catch (VmException e) {
            System.err.println("nicoffload vm: " + e.getMessage());
            return 125;
        }
    }
}
