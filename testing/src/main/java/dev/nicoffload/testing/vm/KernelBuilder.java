package dev.nicoffload.testing.vm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Builds the test kernel from Debian's {@code linux-source-6.1} when none can be found (about 12
 * minutes on 2 cores), with the script shipped in this module, printing progress to stderr. The
 * result lands in {@link KernelImage#cacheDirectory()}{@code /kernel}, where
 * {@link KernelImage#locate()} finds it next time.
 */
public final class KernelBuilder {
    private KernelBuilder() {
    }

    /** Returns the located kernel, building it first when there is none. */
    public static Path locateOrBuild() {
        try {
            return KernelImage.locate();
        } catch (VmException missing) {
            if (System.getenv(KernelImage.ENV) != null || System.getProperty(KernelImage.PROPERTY) != null) {
                throw missing; // the user named a kernel that is not there: do not build another one
            }
            build();
            return KernelImage.locate();
        }
    }

    /**
     * Builds the kernel (the nfpsim flavour when {@code shared/testkernel/nfpsim} with its patch is
     * beside the project, else the plain netdevsim flavour) and returns the image.
     */
    public static Path build() {
        Path cache = KernelImage.cacheDirectory().resolve("kernel");
        try {
            Files.createDirectories(cache);
            Path script = cache.resolve("build-kernel.sh");
            try (InputStream in = KernelBuilder.class.getResourceAsStream("build-kernel.sh")) {
                if (in == null) {
                    throw new IllegalStateException("build-kernel.sh missing from nicoffload-testing");
                }
                Files.write(script, in.readAllBytes());
            }
            ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).inheritIO();
            pb.environment().put("NICOFFLOAD_KERNEL_CACHE", cache.toString());
            KernelImage.sharedDirectory().map(s -> s.resolve("testkernel/nfpsim")).filter(Files::isDirectory)
                    .ifPresent(d -> pb.environment().put("NICOFFLOAD_NFPSIM_DIR", d.toString()));
            System.err.println("nicoffload: no test kernel found; building one from Debian's linux-source-6.1 (about 12 minutes on 2 cores)");
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new VmException("the kernel build did not finish within 90 minutes");
            }
            if (p.exitValue() != 0) {
                throw new VmException("the kernel build failed (status " + p.exitValue() + "); its output is above");
            }
            return KernelImage.locate();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build the test kernel", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while building the test kernel");
        }
    }
}
