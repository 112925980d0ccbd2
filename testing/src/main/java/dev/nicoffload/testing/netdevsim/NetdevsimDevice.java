package dev.nicoffload.testing.netdevsim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A netdevsim device (one simulated ASIC with one {@code bpf_offload_dev}, shared by its ports),
 * created through {@code /sys/bus/netdevsim/new_device} and removed on {@link #close()}.
 * Must run as root in a kernel with netdevsim (the test guest).
 *
 * <pre>{@code
 * try (NetdevsimDevice dev = NetdevsimDevice.create(2)) {
 *     NetdevsimPort eth = dev.port(0);
 *     dev.set(DeviceKnob.BPF_BIND_ACCEPT, false);
 * }
 * }</pre>
 */
public final class NetdevsimDevice implements AutoCloseable {
    private static final Path BUS = Path.of("/sys/bus/netdevsim");
    private static final Path DEBUGFS = Path.of("/sys/kernel/debug/netdevsim");
    private static final long READY_TIMEOUT_NANOS = 20_000_000_000L;
    private static final AtomicInteger NEXT_ID = new AtomicInteger(1);
    private static final Set<NetdevsimDevice> OPEN = ConcurrentHashMap.newKeySet();

    private final int id;
    private volatile boolean closed;

    private NetdevsimDevice(int id) {
        this.id = id;
    }

    /**
     * Creates a device with {@code ports} ports (1 to 16) and waits until all its netdevs exist.
     * Ids in use are skipped (the kernel answers ENOSPC), as the kernel's test_offload.py does.
     */
    public static NetdevsimDevice create(int ports) {
        if (ports < 1 || ports > 16) {
            throw new IllegalArgumentException("ports must be 1..16, got " + ports);
        }
        if (!Files.isDirectory(BUS)) {
            throw new IllegalStateException("no netdevsim in this kernel (" + BUS + " missing): run inside the test guest");
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            int id = NEXT_ID.getAndIncrement();
            try {
                SysFiles.write(BUS.resolve("new_device"), id + " " + ports);
            } catch (IOException e) {
                if (SysFiles.hasReason(e, "No space left on device")) {
                    continue; // id in use
                }
                throw new UncheckedIOException("cannot create netdevsim device " + id, e);
            }
            NetdevsimDevice device = new NetdevsimDevice(id);
            OPEN.add(device);
            device.awaitPorts(ports);
            return device;
        }
        throw new IllegalStateException("no free netdevsim id after 1000 attempts");
    }

    /** Every device created through this class and not yet closed. */
    public static List<NetdevsimDevice> openDevices() {
        return List.copyOf(OPEN);
    }

    /** The bus id ({@code netdevsim<ID>}). */
    public int id() {
        return id;
    }

    /** The device's sysfs directory on the netdevsim bus. */
    public Path sysfs() {
        return BUS.resolve("devices").resolve("netdevsim" + id);
    }

    /** The device's debugfs directory. */
    public Path debugfs() {
        return DEBUGFS.resolve("netdevsim" + id);
    }

    /** The device's ports now, by port index. */
    public List<NetdevsimPort> ports() {
        checkOpen();
        List<NetdevsimPort> result = new ArrayList<>();
        try (Stream<Path> names = Files.list(sysfs().resolve("net"))) {
            for (Path n : (Iterable<Path>) names::iterator) {
                String name = n.getFileName().toString();
                result.add(new NetdevsimPort(this, portIndex(name), name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the ports of netdevsim" + id, e);
        }
        result.sort(Comparator.comparingInt(NetdevsimPort::index));
        return result;
    }

    /** The port with this index. */
    public NetdevsimPort port(int index) {
        return ports().stream().filter(p -> p.index() == index).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("netdevsim" + id + " has no port " + index));
    }

    /** Adds a port with this index and waits for its netdev. */
    public NetdevsimPort addPort(int index) {
        checkOpen();
        int before = ports().size();
        try {
            SysFiles.write(sysfs().resolve("new_port"), Integer.toString(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add port " + index + " to netdevsim" + id, e);
        }
        awaitPorts(before + 1);
        return port(index);
    }

    /** Removes the port with this index (its netdev disappears; bound programs migrate or are orphaned). */
    public void removePort(int index) {
        checkOpen();
        try {
            SysFiles.write(sysfs().resolve("del_port"), Integer.toString(index));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove port " + index + " of netdevsim" + id, e);
        }
    }

    /** Sets a boolean device knob. */
    public void set(DeviceKnob knob, boolean value) {
        write(knob, value ? "Y" : "N");
    }

    /** Sets a numeric device knob ({@link DeviceKnob#BPF_BIND_VERIFIER_DELAY}, in ms). */
    public void set(DeviceKnob knob, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(knob + " must not be negative");
        }
        write(knob, Integer.toString(value));
    }

    /** Reads a device knob as the kernel prints it ({@code Y}/{@code N} or a number). */
    public String get(DeviceKnob knob) {
        return SysFiles.read(debugfs().resolve(knob.file()));
    }

    private void write(DeviceKnob knob, String value) {
        checkOpen();
        Path file = debugfs().resolve(knob.file());
        try {
            SysFiles.write(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Programs bound to this device, from debugfs {@code bpf_bound_progs/}. */
    public List<BoundProgram> boundPrograms() {
        checkOpen();
        List<BoundProgram> result = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(debugfs().resolve("bpf_bound_progs"))) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                try {
                    result.add(new BoundProgram(Integer.parseInt(SysFiles.read(d.resolve("id"))),
                            SysFiles.read(d.resolve("state")), SysFiles.read(d.resolve("loaded")).equals("Y")));
                } catch (UncheckedIOException programBeingFreed) {
                    // the entry of a program being destroyed vanishes (or reads EIO) under us: it is no longer bound
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list bound programs of netdevsim" + id, e);
        }
        result.sort(Comparator.comparingInt(BoundProgram::programId));
        return result;
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    /** Deletes the device (idempotent); its ports vanish, bound programs are orphaned. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        try {
            SysFiles.write(BUS.resolve("del_device"), Integer.toString(id));
        } catch (IOException e) {
            if (!SysFiles.hasReason(e, "No such file or directory")) {
                throw new UncheckedIOException("cannot delete netdevsim" + id, e);
            }
        }
    }

    @Override
    public String toString() {
        return "netdevsim" + id;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("netdevsim" + id + " was closed");
        }
    }

    /** Port index of a netdev: devlink names netdevsim port {@code i} {@code p<i+1>} (phys_port_name). */
    private int portIndex(String netdev) {
        Path portName = Path.of("/sys/class/net", netdev, "phys_port_name");
        String s = SysFiles.read(portName);
        if (!s.matches("p\\d+")) {
            throw new IllegalStateException("unexpected phys_port_name '" + s + "' of " + netdev);
        }
        return Integer.parseInt(s.substring(1)) - 1;
    }

    /** Polls sysfs until the device has {@code count} netdevs; probing may finish asynchronously. */
    private void awaitPorts(int count) {
        long deadline = System.nanoTime() + READY_TIMEOUT_NANOS;
        Path net = sysfs().resolve("net");
        while (true) {
            try (Stream<Path> names = Files.isDirectory(net) ? Files.list(net) : Stream.empty()) {
                if (names.count() >= count) {
                    return;
                }
            } catch (IOException e) {
                // directory still being populated
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("netdevsim" + id + " did not get " + count + " netdevs within 20 s");
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for netdevsim" + id, e);
            }
        }
    }
}
