package dev.nicoffload.offload.bench;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.testsupport.BpfC;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Load a sample XDP object bound to a netdevsim port + attach it in HW mode + detach + unload:
 * in-process with nicoffload, versus the same work done by {@code bpftool prog load ... dev} and
 * {@code ip link set ... xdpoffload} (two processes each time, as a shell script would). Runs in the
 * test guest only (needs netdevsim, bpftool, ip and clang); it creates and removes its own device.
 * <pre>
 * ./nicoffload vm -- java -cp "$CP" org.openjdk.jmh.Main OffloadAttachBenchmark -f 0
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(0)
public class OffloadAttachBenchmark {

    private static final int DEVICE_ID = 4711;

    private OffloadDevice device;
    private byte[] elf;
    private Path object;
    private Path pin;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Files.writeString(Path.of("/sys/bus/netdevsim/new_device"), DEVICE_ID + " 1");
        Path net = Path.of("/sys/bus/netdevsim/devices/netdevsim" + DEVICE_ID + "/net");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while ((!Files.isDirectory(net) || Files.list(net).findAny().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String name;
        try (var s = Files.list(net)) {
            name = s.findFirst().orElseThrow().getFileName().toString();
        }
        device = OffloadDevice.byName(name);
        elf = BpfC.compile("xdp_pass", BpfC.XDP_PASS);
        object = Files.createTempFile("bench-xdp_pass", ".o");
        Files.write(object, elf);
        pin = Path.of("/sys/fs/bpf/nicoffload-bench");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.writeString(Path.of("/sys/bus/netdevsim/del_device"), Integer.toString(DEVICE_ID));
        Files.deleteIfExists(object);
    }

    /** nicoffload: load bound, attach HW, detach, close. */
    @Benchmark
    public int nicoffload() {
        try (LoadedObject obj = ObjectLoader.load(elf, LoadOptions.offloadTo(device));
             XdpAttachment a = obj.program("xdp_pass").attachXdp(device, XdpMode.HW)) {
            return a.programId();
        }
    }

    /** bpftool + ip: load bound and pin, attach HW from the pin, detach, unpin. */
    @Benchmark
    public int bpftoolAndIp() throws Exception {
        run("bpftool", "prog", "load", object.toString(), pin.toString(), "type", "xdp", "dev", device.name());
        run("ip", "link", "set", "dev", device.name(), "xdpoffload", "pinned", pin.toString());
        run("ip", "link", "set", "dev", device.name(), "xdpoffload", "off");
        Files.delete(pin);
        return 0;
    }

    private static void run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed");
        }
    }
}
