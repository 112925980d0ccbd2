package dev.nicoffload.testing.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Boots the netdevsim/nfpsim test kernel under {@code qemu-system-x86_64 -accel tcg} and runs one
 * command in the guest as root.
 *
 * <p>The guest's root file system is the host's, shared read-only over 9p, so the host's JDK,
 * libbpf and build outputs are all there. The init script mounts proc, sysfs, devtmpfs, debugfs,
 * bpffs and tmpfs on {@code /tmp} and {@code /run}, mounts every {@linkplain VmOptions#shares() share}
 * and the writable run directory at their host paths, then runs the command from the given
 * directory. Its standard output and error travel over two virtio-serial ports to the
 * {@linkplain VmOptions#stdout() streams} you chose, apart from the kernel console; its exit status
 * comes back through QEMU's isa-debug-exit device. A guest that hangs is killed at the
 * {@linkplain VmOptions#timeout() timeout}; a guest that panics or stops without a status ends in a
 * {@link VmException} carrying the console's last lines.
 *
 * <pre>{@code
 * VmResult r = NetdevsimVm.run(List.of("ip", "link"), Path.of("/"), VmOptions.defaults());
 * }</pre>
 */
public final class NetdevsimVm {
    private static final String INIT_RESOURCE = "guest-init.sh";
    private static final String COMMAND_STARTED = "nicoffload-guest: running command";
    private static final int CONSOLE_TAIL_LINES = 60;
    private static final AtomicLong RUNS = new AtomicLong();

    private NetdevsimVm() {
    }

    /**
     * Runs {@code argv} in the guest from directory {@code guestCwd} and waits for it to end.
     *
     * @return the exit status and timings; output went to the streams of {@code options}
     * @throws VmException when QEMU or the kernel is missing, the guest times out, panics or ends
     *                     without reporting a status
     */
    public static VmResult run(List<String> argv, Path guestCwd, VmOptions options) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command to run in the guest");
        }
        String script = "exec " + argv.stream().map(NetdevsimVm::shellQuote).collect(Collectors.joining(" ")) + "\n";
        return runScript(script, guestCwd, options);
    }

    /** Runs a POSIX shell script in the guest from directory {@code guestCwd}; see {@link #run}. */
    public static VmResult runScript(String script, Path guestCwd, VmOptions options) {
        Path kernel = options.kernel() != null ? options.kernel() : KernelImage.locate();
        Path qemu = findQemu();
        Path runDir = prepareRunDirectory(options, script, guestCwd);
        Path socketDir = null;
        try {
            socketDir = Files.createTempDirectory("nicoffload-vm");
            return boot(qemu, kernel, runDir, socketDir, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (socketDir != null) {
                deleteTree(socketDir);
            }
        }
    }

    private static VmResult boot(Path qemu, Path kernel, Path runDir, Path socketDir, VmOptions options) throws IOException {
        Path outSocket = socketDir.resolve("out");
        Path errSocket = socketDir.resolve("err");
        try (ServerSocketChannel outServer = listen(outSocket); ServerSocketChannel errServer = listen(errSocket)) {
            List<String> cmd = qemuCommand(qemu, kernel, runDir, outSocket, errSocket, options);
            Files.writeString(runDir.resolve("qemu-command"), String.join(" ", cmd) + "\n");
            long start = System.nanoTime();
            Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Thread outPump = pump(outServer, options.stdout(), "vm-stdout");
            Thread errPump = pump(errServer, options.stderr(), "vm-stderr");
            ConsoleReader console = new ConsoleReader(process.getInputStream(), runDir.resolve("console.log"), options.console(), start);
            console.start();
            boolean ended;
            try {
                ended = process.waitFor(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new VmException("interrupted while the guest was running");
            }
            if (!ended) {
                process.destroyForcibly();
                joinQuietly(console, 5_000);
                throw new VmException("the guest did not finish within " + options.timeout().toSeconds()
                        + " s and was killed (console log: " + runDir.resolve("console.log") + ")", console.tail());
            }
            long end = System.nanoTime();
            joinQuietly(console, 5_000);
            joinQuietly(outPump, 5_000);
            joinQuietly(errPump, 5_000);
            int qemuStatus = process.exitValue();
            long commandStart = console.commandStartNanos();
            if (qemuStatus % 2 == 0 || commandStart == 0) {
                throw new VmException(describeAbnormalEnd(qemuStatus, commandStart, console.tail())
                        + " (console log: " + runDir.resolve("console.log") + ")", console.tail());
            }
            int status = (qemuStatus - 1) / 2;
            if (status >= 250 && status <= 252) {
                throw new VmException("the guest init failed before running the command (status " + status + ")", console.tail());
            }
            return new VmResult(status, Duration.ofNanos(commandStart - start), Duration.ofNanos(end - commandStart), runDir);
        }
    }

    private static String describeAbnormalEnd(int qemuStatus, long commandStart, String tail) {
        if (tail.contains("Kernel panic")) {
            return "the guest kernel panicked";
        }
        if (commandStart == 0) {
            return "the guest stopped (QEMU status " + qemuStatus + ") before the command started";
        }
        return "the guest powered off without reporting the command's status (QEMU status " + qemuStatus + ")";
    }

    private static List<String> qemuCommand(Path qemu, Path kernel, Path runDir, Path outSocket, Path errSocket, VmOptions options) {
        List<String> cmd = new ArrayList<>(List.of(qemu.toString(), "-accel", "tcg", "-cpu", "max",
                "-m", Integer.toString(options.memoryMiB()), "-smp", Integer.toString(options.cpus()),
                "-nographic", "-no-reboot", "-nic", "none", "-kernel", kernel.toString(),
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
                "-device", "virtio-serial-pci,id=vser",
                "-chardev", "socket,id=out,path=" + outSocket,
                "-device", "virtserialport,bus=vser.0,chardev=out,name=out",
                "-chardev", "socket,id=err,path=" + errSocket,
                "-device", "virtserialport,bus=vser.0,chardev=err,name=err"));
        List<Path> mounts = mountOrder(options.shares(), runDir);
        for (int i = 0; i < mounts.size(); i++) {
            boolean writable = mounts.get(i).equals(runDir);
            cmd.add("-virtfs");
            cmd.add("local,path=" + mounts.get(i) + ",mount_tag=share" + i + ",security_model=none,multidevs=remap"
                    + (writable ? "" : ",readonly=on"));
        }
        cmd.add("-append");
        cmd.add("root=hostroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro"
                + " init=" + runDir.resolve("init") + " nicoffload.run=" + runDir
                + " console=ttyS0 quiet loglevel=4 panic=-1");
        return cmd;
    }

    /** Shares first, the run directory last; parents before children. */
    private static List<Path> mountOrder(List<Path> shares, Path runDir) {
        List<Path> ordered = shares.stream().distinct().filter(p -> !p.equals(runDir))
                .sorted(Comparator.comparingInt(Path::getNameCount)).collect(Collectors.toCollection(ArrayList::new));
        ordered.add(runDir);
        return ordered;
    }

    private static Path prepareRunDirectory(VmOptions options, String script, Path guestCwd) {
        try {
            Path runDir = options.runDirectory() != null ? options.runDirectory()
                    : KernelImage.cacheDirectory().resolve("vm-runs").resolve("run-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
            Files.createDirectories(runDir);
            for (String stale : List.of("rc", "console.log")) {
                Files.deleteIfExists(runDir.resolve(stale));
            }
            try (InputStream in = NetdevsimVm.class.getResourceAsStream(INIT_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(INIT_RESOURCE + " missing from the testing module");
                }
                Path init = runDir.resolve("init");
                Files.write(init, in.readAllBytes());
                Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            List<Path> mounts = mountOrder(options.shares(), runDir);
            StringBuilder table = new StringBuilder();
            for (int i = 0; i < mounts.size(); i++) {
                table.append("share").append(i).append(' ').append(mounts.get(i)).append(mounts.get(i).equals(runDir) ? " rw\n" : " ro\n");
            }
            Files.writeString(runDir.resolve("mounts"), table);
            StringBuilder env = new StringBuilder();
            String javaHome = System.getProperty("java.home");
            env.append("export JAVA_HOME=").append(shellQuote(javaHome)).append('\n');
            env.append("export PATH=").append(shellQuote(javaHome + "/bin")).append(":$PATH\n");
            env.append("export NICOFFLOAD_RUN_DIR=").append(shellQuote(runDir.toString())).append('\n');
            for (Map.Entry<String, String> e : options.environment().entrySet()) {
                env.append("export ").append(e.getKey()).append('=').append(shellQuote(e.getValue())).append('\n');
            }
            Files.writeString(runDir.resolve("env"), env);
            Files.writeString(runDir.resolve("cwd"), guestCwd.toAbsolutePath() + "\n");
            Files.writeString(runDir.resolve("cmd"), script);
            return runDir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the VM run directory", e);
        }
    }

    private static Path findQemu() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "qemu-system-x86_64");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new VmException("qemu-system-x86_64 not found on PATH: install it with scripts/install-deps.sh (Debian package qemu-system-x86)");
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
    }

    /** Accepts QEMU's connection on {@code server} and copies what the guest writes to {@code sink}. */
    private static Thread pump(ServerSocketChannel server, OutputStream sink, String name) {
        Thread t = Thread.ofPlatform().daemon().name(name).start(() -> {
            try (SocketChannel channel = server.accept()) {
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                while (channel.read(buffer) >= 0) {
                    buffer.flip();
                    sink.write(buffer.array(), 0, buffer.limit());
                    sink.flush();
                    buffer.clear();
                }
            } catch (IOException e) {
                // the guest side went away: nothing more to copy
            }
        });
        return t;
    }

    private static void joinQuietly(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String shellQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temp directory of sockets
        }
    }

    /** Reads QEMU's stdio (the serial console), logs it, keeps the last lines, notes when the command starts. */
    private static final class ConsoleReader extends Thread {
        private final InputStream in;
        private final Path log;
        private final OutputStream live;
        private final long start;
        private final Deque<String> tail = new ArrayDeque<>();
        private volatile long commandStart;

        ConsoleReader(InputStream in, Path log, OutputStream live, long start) {
            super("vm-console");
            setDaemon(true);
            this.in = in;
            this.log = log;
            this.live = live;
            this.start = start;
        }

        @Override
        public void run() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                 var writer = Files.newBufferedWriter(log)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    String clean = line.replaceAll("\u001B\\[[0-9;?]*[A-Za-z]|\u001Bc|\r", "");
                    String stamped = String.format("[host +%7.2f] %s", (System.nanoTime() - start) / 1e9, clean);
                    writer.write(stamped);
                    writer.newLine();
                    writer.flush();
                    live.write((stamped + "\n").getBytes(StandardCharsets.UTF_8));
                    live.flush();
                    if (commandStart == 0 && clean.contains(COMMAND_STARTED)) {
                        commandStart = System.nanoTime();
                    }
                    synchronized (tail) {
                        tail.addLast(clean);
                        if (tail.size() > CONSOLE_TAIL_LINES) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // QEMU went away
            }
        }

        long commandStartNanos() {
            return commandStart;
        }

        String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }
    }
}
