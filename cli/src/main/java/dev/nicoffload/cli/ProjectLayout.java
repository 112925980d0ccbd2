package dev.nicoffload.cli;

import dev.nicoffload.testing.vm.KernelImage;
import dev.nicoffload.testing.vm.VmOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the project is, as told by the {@code ./nicoffload} launcher ({@code NICOFFLOAD_HOME}). */
final class ProjectLayout {
    private ProjectLayout() {
    }

    /** The repository root, or the working directory when not started by the launcher. */
    static Path home() {
        String home = System.getenv("NICOFFLOAD_HOME");
        return (home != null && !home.isBlank() ? Path.of(home) : Path.of("")).toAbsolutePath().normalize();
    }

    /** Whether this process runs inside the test guest. */
    static boolean inGuest() {
        return System.getenv("NICOFFLOAD_IN_GUEST") != null;
    }

    /** VM options sharing the project, ../shared and the working directory, with the launcher on PATH. */
    static VmOptions vmOptions() {
        Path home = home();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        VmOptions options = VmOptions.defaults().withShare(home).withEnv("NICOFFLOAD_HOME", home.toString());
        options = KernelImage.sharedDirectory().map(options::withShare).orElse(options);
        if (!cwd.startsWith(home) && Files.isDirectory(cwd)) {
            options = options.withShare(cwd);
        }
        return options;
    }
}
