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
 * The netdevsim/nfpsim test kernel booted under {@code qemu-system-x86_64 -accel tcg,thread=single}, running
 * commands as root: once ({@link #run}) or many times in one boot ({@link #start} then
 * {@link #exec}), in the spirit of Testcontainers' {@code GenericContainer}.
 *
 * <p>The guest's root file system is the host's, shared read-only over 9p, so the host's JDK,
 * libbpf and build outputs are all there. The init script mounts proc, sysfs, devtmpfs, debugfs,
 * bpffs and tmpfs on {@code /tmp} and {@code /run}, mounts every {@linkplain VmOptions#shares() share}
 * and the writable run directory at their host paths, then serves commands. A command's standard
 * output and error travel over two virtio-serial ports to the streams you chose, apart from the
 * kernel console; its exit status comes back over a third. A guest that hangs is killed at the
 * {@linkplain VmOptions#timeout() timeout}; a guest that panics or stops ends in a
 * {@link VmException} carrying the console's last lines.
 *
 * <pre>{@code
 * try (NetdevsimVm vm = NetdevsimVm.start(VmOptions.defaults())) {
 *     VmResult r = vm.exec(List.of("ip", "-br", "link"), Path.of("/"));
 * }
 * }</pre>
 */
public final class NetdevsimVm implements AutoCloseable {
    private static final String INIT_RESOURCE = "guest-init.sh";
    private static final int CONSOLE_TAIL_LINES = 60;
    private static final AtomicLong RUNS = new AtomicLong();
    private static final String GONE = "\0gone";

    private final VmOptions options;
    private final Path runDir;
    private final Path socketDir;
    private final Process process;
    private final ConsoleReader console;
    private final MarkedStreamPump outPump;
    private final MarkedStreamPump errPump;
    private final SocketChannel control;
    private final BufferedReader controlIn;
    private final Duration bootTime;
    private long nextId = 1;
    private boolean closed;

    private NetdevsimVm(VmOptions options, Path runDir, Path socketDir, Process process, ConsoleReader console,
                        MarkedStreamPump outPump, MarkedStreamPump errPump, SocketChannel control, Duration bootTime) {
        this.options = options;
        this.runDir = runDir;
        this.socketDir = socketDir;
        this.process = process;
        this.console = console;
        this.outPump = outPump;
        this.errPump = errPump;
        this.control = control;
        this.controlIn = new BufferedReader(new InputStreamReader(Channels.newInputStream(control), StandardCharsets.US_ASCII));
        this.bootTime = bootTime;
    }

    /**
     * Boots the guest and waits until it is ready for commands.
     *
     * @throws VmException when QEMU or the kernel is missing, or the guest does not come up within
     *                     the timeout (it is then killed)
     */
    public static NetdevsimVm start(VmOptions options) {
        Path qemu = findQemu();
        Path kernel = options.kernel() != null ? options.kernel() : KernelBuilder.locateOrBuild();
        Path runDir = prepareRunDirectory(options);
        Path socketDir = null;
        Process process = null;
        try {
            socketDir = Files.createTempDirectory("nicoffload-vm");
            Path out = socketDir.resolve("out");
            Path err = socketDir.resolve("err");
            Path ctl = socketDir.resolve("ctl");
            try (ServerSocketChannel outServer = listen(out); ServerSocketChannel errServer = listen(err);
                 ServerSocketChannel ctlServer = listen(ctl)) {
                List<String> cmd = qemuCommand(qemu, kernel, runDir, socketDir, options);
                Files.writeString(runDir.resolve("qemu-command"), String.join(" ", cmd) + "\n");
                long start = System.nanoTime();
                process = new ProcessBuilder(cmd).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                ConsoleReader console = new ConsoleReader(process.getInputStream(), runDir.resolve("console.log"), options.console(), start);
                console.start();
                MarkedStreamPump outPump = new MarkedStreamPump(outServer);
                MarkedStreamPump errPump = new MarkedStreamPump(errServer);
                Thread.ofPlatform().daemon().name("vm-stdout").start(outPump);
                Thread.ofPlatform().daemon().name("vm-stderr").start(errPump);
                SocketChannel control = acceptWithin(ctlServer, process, options.timeout().toMillis());
                if (control == null) {
                    process.destroyForcibly();
                    throw new VmException("QEMU did not connect its control port", console.tail());
                }
                NetdevsimVm vm = new NetdevsimVm(options, runDir, socketDir, process, console, outPump, errPump, control, Duration.ZERO);
                String ready = vm.readControl(start + options.timeout().toNanos());
                if (!"ready".equals(ready)) {
                    if (ready != null) {
                        process.waitFor(10, TimeUnit.SECONDS);
                    }
                    vm.kill();
                    throw new VmException(ready == null ? "the guest did not become ready within " + options.timeout().toSeconds() + " s and was killed"
                            : describeAbnormalEnd(process, console.tail()) + " (console log: " + runDir.resolve("console.log") + ")", console.tail());
                }
                return new NetdevsimVm(options, runDir, socketDir, process, console, outPump, errPump, control, Duration.ofNanos(System.nanoTime() - start));
            }
        } catch (IOException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            throw new UncheckedIOException("cannot start the VM", e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while the guest was booting");
        } finally {
            if (socketDir != null && (process == null || !process.isAlive())) {
                deleteTree(socketDir);
            }
        }
    }

    /**
     * Boots the guest, runs {@code argv} from directory {@code guestCwd}, and powers the guest off.
     *
     * @return the exit status and timings; output went to the streams of {@code options}
     * @throws VmException when QEMU or the kernel is missing, the guest times out, panics or ends
     *                     without reporting a status
     */
    public static VmResult run(List<String> argv, Path guestCwd, VmOptions options) {
        return runScript(script(argv), guestCwd, options);
    }

    /** Boots the guest, runs a POSIX shell script from {@code guestCwd}, powers off; see {@link #run}. */
    public static VmResult runScript(String script, Path guestCwd, VmOptions options) {
        try (NetdevsimVm vm = start(options)) {
            return vm.execScript(script, guestCwd, options.stdout(), options.stderr(), options.timeout());
        }
    }

    /** Runs {@code argv} in the guest from {@code guestCwd}, output to the streams of the VM's options. */
    public VmResult exec(List<String> argv, Path guestCwd) {
        return execScript(script(argv), guestCwd, options.stdout(), options.stderr(), options.timeout());
    }

    /**
     * Runs a POSIX shell script in the guest from {@code guestCwd} and waits for it.
     *
     * @param timeout a command still running then makes the whole guest be killed
     * @throws VmException when the guest dies or the command times out; the VM is closed then
     */
    public synchronized VmResult execScript(String script, Path guestCwd, OutputStream out, OutputStream err, Duration timeout) {
        if (closed) {
            throw new IllegalStateException("the VM was closed");
        }
        long id = nextId++;
        try {
            Path dir = Files.createDirectories(runDir.resolve("cmds").resolve(Long.toString(id)));
            Files.writeString(dir.resolve("cwd"), guestCwd.toAbsolutePath() + "\n");
            Files.writeString(dir.resolve("cmd"), script);
            outPump.expect(id, out);
            errPump.expect(id, err);
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            control.write(java.nio.ByteBuffer.wrap((id + "\n").getBytes(StandardCharsets.US_ASCII)));
            String reply = readControl(deadline);
            if (reply == null || !reply.startsWith(id + " ")) {
                boolean timedOut = reply == null;
                if (!timedOut) {
                    process.waitFor(10, TimeUnit.SECONDS); // the guest went away: let QEMU and the console finish
                }
                kill();
                throw new VmException(timedOut
                        ? "the command did not finish within " + timeout.toSeconds() + " s; the guest was killed (console log: " + consoleLog() + ")"
                        : describeAbnormalEnd(process, console.tail()) + " (console log: " + consoleLog() + ")", console.tail());
            }
            long remaining = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!outPump.awaitEnd(remaining) || !errPump.awaitEnd(Math.max(1, (deadline - System.nanoTime()) / 1_000_000))) {
                kill();
                throw new VmException("the guest's output of command " + id + " did not end", console.tail());
            }
            int status = Integer.parseInt(reply.substring(reply.indexOf(' ') + 1).strip());
            return new VmResult(status, bootTime, Duration.ofNanos(System.nanoTime() - start), runDir);
        } catch (IOException e) {
            kill();
            throw new VmException("lost the connection to the guest: " + e.getMessage(), console.tail());
        } catch (InterruptedException e) {
            kill();
            Thread.currentThread().interrupt();
            throw new VmException("interrupted while the guest ran a command");
        }
    }

    /** Time from starting QEMU to the guest being ready for commands. */
    public Duration bootTime() {
        return bootTime;
    }

    /** The host directory shared writable with the guest at the same path. */
    public Path runDirectory() {
        return runDir;
    }

    /** The guest console log. */
    public Path consoleLog() {
        return runDir.resolve("console.log");
    }

    /**
     * Powers the guest off (killing it if it does not stop within 30 s). Idempotent. A run
     * directory the VM made itself is deleted after a clean power-off; one given in the options,
     * or one whose guest failed, is kept for its console log.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            control.write(java.nio.ByteBuffer.wrap("exit\n".getBytes(StandardCharsets.US_ASCII)));
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            } else if (options.runDirectory() == null) {
                joinQuietly(console, 5_000);
                deleteTree(runDir);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            release();
        }
    }

    private void kill() {
        closed = true;
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        release();
    }

    private void release() {
        joinQuietly(console, 5_000);
        try {
            control.close();
        } catch (IOException e) {
            // already gone
        }
        deleteTree(socketDir);
    }

    /** Next control line; {@link #GONE} when the guest went away; null at the deadline. */
    private String readControl(long deadlineNanos) throws IOException {
        java.util.concurrent.CompletableFuture<String> line = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                String l = controlIn.readLine();
                return l == null ? GONE : l;
            } catch (IOException e) {
                return GONE;
            }
        }, r -> Thread.ofPlatform().daemon().name("vm-control").start(r));
        try {
            return line.get(Math.max(1, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static SocketChannel acceptWithin(ServerSocketChannel server, Process qemu, long millis) throws IOException {
        server.configureBlocking(false);
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline && qemu.isAlive()) {
            SocketChannel c = server.accept();
            if (c != null) {
                c.configureBlocking(true);
                return c;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    private static String script(List<String> argv) {
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("no command to run in the guest");
        }
        return "exec " + argv.stream().map(NetdevsimVm::shellQuote).collect(Collectors.joining(" ")) + "\n";
    }

    private static String describeAbnormalEnd(Process qemu, String tail) {
        if (tail.contains("Kernel panic")) {
            return "the guest kernel panicked";
        }
        if (qemu.isAlive()) {
            return "the guest stopped answering";
        }
        int status = qemu.exitValue();
        return status % 2 == 1 ? "the guest powered off (status " + (status - 1) / 2 + ")"
                : "the guest stopped without reporting a status (QEMU status " + status + ")";
    }

    private static List<String> qemuCommand(Path qemu, Path kernel, Path runDir, Path sockets, VmOptions options) {
        // One host thread runs every vCPU in turn (thread=single, not multi-threaded TCG): a JVM in the guest
        // patches its compiled code while other threads run it (a method's entry is rewritten when it is
        // recompiled), and multi-threaded TCG does not keep such cross-modifying code coherent between vCPUs.
        // A guest JVM with default flags once died of it (SIGSEGV at the verified entry of a C1 method). The
        // guest still has options.cpus() CPUs; the suite's guest part takes about 40% longer.
        List<String> cmd = new ArrayList<>(List.of(qemu.toString(), "-accel", "tcg,thread=single", "-cpu", "max",
                "-m", Integer.toString(options.memoryMiB()), "-smp", Integer.toString(options.cpus()),
                "-nographic", "-no-reboot", "-nic", "none", "-kernel", kernel.toString(),
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap",
                "-device", "virtio-serial-pci,id=vser",
                "-chardev", "socket,id=out,path=" + sockets.resolve("out"),
                "-device", "virtserialport,bus=vser.0,chardev=out,name=out",
                "-chardev", "socket,id=err,path=" + sockets.resolve("err"),
                "-device", "virtserialport,bus=vser.0,chardev=err,name=err",
                "-chardev", "socket,id=ctl,path=" + sockets.resolve("ctl"),
                "-device", "virtserialport,bus=vser.0,chardev=ctl,name=ctl"));
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
                + " console=ttyS0 quiet loglevel=4 panic=-1 no_timer_check");
        return cmd;
    }

    /** Shares first, the run directory last; parents before children. */
    private static List<Path> mountOrder(List<Path> shares, Path runDir) {
        List<Path> ordered = shares.stream().distinct().filter(p -> !p.equals(runDir))
                .sorted(Comparator.comparingInt(Path::getNameCount)).collect(Collectors.toCollection(ArrayList::new));
        ordered.add(runDir);
        return ordered;
    }

    private static Path prepareRunDirectory(VmOptions options) {
        try {
            Path runDir = options.runDirectory() != null ? options.runDirectory()
                    : KernelImage.cacheDirectory().resolve("vm-runs").resolve("run-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet());
            Files.createDirectories(runDir);
            Files.deleteIfExists(runDir.resolve("console.log"));
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
        throw new VmException("qemu-system-x86_64 not found on PATH: install the Debian package qemu-system-x86"
                + " (sudo apt-get install qemu-system-x86; in the nicoffload repository: scripts/install-deps.sh)");
    }

    private static ServerSocketChannel listen(Path socket) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return server;
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

        String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }
    }
}
