package dev.nicoffload.testing.vm;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to boot the guest and where its command's output goes. Immutable; start from
 * {@link #defaults()} and change what you need with the {@code with...} methods.
 *
 * <p>Every host directory in {@link #shares()} is mounted in the guest at the same path (over the
 * read-only host root), so a project that lives under the host's {@code /tmp} (hidden in the guest
 * by a tmpfs) stays reachable.
 */
public final class VmOptions {
    private final Path kernel;
    private final int memoryMiB;
    private final int cpus;
    private final Duration timeout;
    private final List<Path> shares;
    private final Map<String, String> environment;
    private final OutputStream stdout;
    private final OutputStream stderr;
    private final OutputStream console;
    private final Path runDirectory;

    private VmOptions(Path kernel, int memoryMiB, int cpus, Duration timeout, List<Path> shares,
                      Map<String, String> environment, OutputStream stdout, OutputStream stderr,
                      OutputStream console, Path runDirectory) {
        this.kernel = kernel;
        this.memoryMiB = memoryMiB;
        this.cpus = cpus;
        this.timeout = timeout;
        this.shares = List.copyOf(shares);
        this.environment = Map.copyOf(environment);
        this.stdout = stdout;
        this.stderr = stderr;
        this.console = console;
        this.runDirectory = runDirectory;
    }

    /**
     * 2 GiB, 2 CPUs, 20 minutes, the located kernel ({@link KernelImage#locate()}, resolved at boot),
     * output to this process's stdout/stderr, console only to the run directory's log.
     */
    public static VmOptions defaults() {
        return new VmOptions(null, 2048, 2, Duration.ofMinutes(20), List.of(), Map.of(),
                System.out, System.err, OutputStream.nullOutputStream(), null);
    }

    /** Boots this kernel image instead of the located one. */
    public VmOptions withKernel(Path image) {
        return new VmOptions(Objects.requireNonNull(image), memoryMiB, cpus, timeout, shares, environment, stdout, stderr, console, runDirectory);
    }

    /** Guest memory in MiB (at least 256). */
    public VmOptions withMemoryMiB(int mib) {
        if (mib < 256) {
            throw new IllegalArgumentException("guest memory must be at least 256 MiB, got " + mib);
        }
        return new VmOptions(kernel, mib, cpus, timeout, shares, environment, stdout, stderr, console, runDirectory);
    }

    /** Number of guest CPUs (1 to 64). */
    public VmOptions withCpus(int n) {
        if (n < 1 || n > 64) {
            throw new IllegalArgumentException("guest CPUs must be 1..64, got " + n);
        }
        return new VmOptions(kernel, memoryMiB, n, timeout, shares, environment, stdout, stderr, console, runDirectory);
    }

    /** Upper bound for the whole run, boot included; a guest still running then is killed. */
    public VmOptions withTimeout(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + limit);
        }
        return new VmOptions(kernel, memoryMiB, cpus, limit, shares, environment, stdout, stderr, console, runDirectory);
    }

    /** Adds a host directory, mounted read-only in the guest at the same absolute path. */
    public VmOptions withShare(Path hostDirectory) {
        List<Path> more = new ArrayList<>(shares);
        more.add(hostDirectory.toAbsolutePath().normalize());
        return new VmOptions(kernel, memoryMiB, cpus, timeout, more, environment, stdout, stderr, console, runDirectory);
    }

    /** Sets an environment variable for the guest command. */
    public VmOptions withEnv(String name, String value) {
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not an environment variable name: " + name);
        }
        Map<String, String> more = new LinkedHashMap<>(environment);
        more.put(name, Objects.requireNonNull(value));
        return new VmOptions(kernel, memoryMiB, cpus, timeout, shares, more, stdout, stderr, console, runDirectory);
    }

    /** Where the command's standard output and standard error go, live. */
    public VmOptions withOutput(OutputStream out, OutputStream err) {
        return new VmOptions(kernel, memoryMiB, cpus, timeout, shares, environment, Objects.requireNonNull(out), Objects.requireNonNull(err), console, runDirectory);
    }

    /** Also copies the guest console (kernel messages, init progress) to this stream, live. */
    public VmOptions withConsole(OutputStream out) {
        return new VmOptions(kernel, memoryMiB, cpus, timeout, shares, environment, stdout, stderr, Objects.requireNonNull(out), runDirectory);
    }

    /**
     * Uses this host directory (created if needed) as the run directory, shared writable with the
     * guest at the same path; by default a fresh directory under {@code ~/.cache/nicoffload/vm-runs}.
     */
    public VmOptions withRunDirectory(Path directory) {
        return new VmOptions(kernel, memoryMiB, cpus, timeout, shares, environment, stdout, stderr, console, directory.toAbsolutePath().normalize());
    }

    /** The kernel image, or {@code null} for the located one. */
    public Path kernel() {
        return kernel;
    }

    /** Guest memory in MiB. */
    public int memoryMiB() {
        return memoryMiB;
    }

    /** Guest CPUs. */
    public int cpus() {
        return cpus;
    }

    /** Bound on the whole run. */
    public Duration timeout() {
        return timeout;
    }

    /** Host directories mounted read-only at the same path in the guest. */
    public List<Path> shares() {
        return shares;
    }

    /** Extra environment of the guest command. */
    public Map<String, String> environment() {
        return environment;
    }

    /** Destination of the command's standard output. */
    public OutputStream stdout() {
        return stdout;
    }

    /** Destination of the command's standard error. */
    public OutputStream stderr() {
        return stderr;
    }

    /** Live copy of the guest console. */
    public OutputStream console() {
        return console;
    }

    /** The run directory, or {@code null} for a fresh one. */
    public Path runDirectory() {
        return runDirectory;
    }
}
