package dev.nicoffload.testing.vm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the Linux 6.1.192 test kernel the guest boots: the nfpsim kernel (netdevsim plus the
 * simulated NFP {@code nfpsim0}) when it can be had, else the plain netdevsim kernel.
 *
 * <p>Search order: the environment variable {@value #ENV} (or system property {@value #PROPERTY});
 * {@code shared/testkernel/} beside the project (walking up from the working directory); the
 * project's cache {@code ~/.cache/nicoffload/kernel/} where {@code scripts/build-kernel.sh} puts
 * the kernel it builds from Debian's {@code linux-source-6.1}.
 */
public final class KernelImage {
    /** Environment variable naming the kernel image to boot. */
    public static final String ENV = "NICOFFLOAD_KERNEL";
    /** System property naming the kernel image to boot (wins over the environment). */
    public static final String PROPERTY = "nicoffload.kernel";
    static final String NFPSIM = "bzImage-6.1.192-nfpsim";
    static final String NETDEVSIM = "bzImage-6.1.192-netdevsim";

    private KernelImage() {
    }

    /**
     * Returns the kernel to boot.
     *
     * @throws VmException when no kernel can be found; the message names the command that builds one
     */
    public static Path locate() {
        String named = System.getProperty(PROPERTY, System.getenv(ENV));
        if (named != null && !named.isBlank()) {
            Path p = Path.of(named).toAbsolutePath();
            if (!Files.isReadable(p)) {
                throw new VmException(ENV + "/" + PROPERTY + " names " + p + ", which is not a readable file");
            }
            return p;
        }
        return candidates().stream().filter(Files::isReadable).findFirst().orElseThrow(() -> new VmException(
                "No test kernel found (looked at " + candidates() + "). Set " + ENV
                        + " to a bzImage, or build one with scripts/build-kernel.sh (about 12 minutes on 2 cores)."));
    }

    /** Whether the located kernel is the nfpsim one (with the simulated NFP {@code nfpsim0}). */
    public static boolean isNfpsim(Path kernel) {
        return kernel.getFileName().toString().contains("nfpsim");
    }

    /** The {@code shared/} directory beside the project, when there is one. */
    public static Optional<Path> sharedDirectory() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            for (Path candidate : List.of(dir.resolve("shared"), dir.resolveSibling("shared"))) {
                if (Files.isDirectory(candidate.resolve("testkernel"))) {
                    return Optional.of(candidate.toAbsolutePath().normalize());
                }
            }
        }
        return Optional.empty();
    }

    private static List<Path> candidates() {
        List<Path> result = new ArrayList<>();
        sharedDirectory().ifPresent(shared -> {
            result.add(shared.resolve("testkernel/nfpsim").resolve(NFPSIM));
            result.add(shared.resolve("testkernel").resolve(NETDEVSIM));
        });
        Path cache = cacheDirectory().resolve("kernel");
        result.add(cache.resolve(NFPSIM));
        result.add(cache.resolve(NETDEVSIM));
        return result;
    }

    /** {@code ~/.cache/nicoffload}, or {@code $XDG_CACHE_HOME/nicoffload}. */
    public static Path cacheDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("nicoffload");
    }
}
