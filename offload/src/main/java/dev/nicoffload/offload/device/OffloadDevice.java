package dev.nicoffload.offload.device;

import dev.nicoffload.ffm.bpf.BpfSyscall;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.ffm.libc.Ethtool;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.libc.SysResult;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.Failure;
import dev.nicoffload.offload.internal.Errors;
import dev.nicoffload.offload.internal.Fds;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A network device in the caller's network namespace that BPF programs and maps can be bound to.
 * Resolved by name or ifindex at the time of the call; it records the name, ifindex and driver
 * seen then. Whether it can actually offload is asked of the kernel by {@link #canOffload()}.
 */
public final class OffloadDevice {

    /** {@code r0 = XDP_PASS; exit}: the program loaded by the offload probe. */
    private static final byte[] PROBE_PROGRAM = {
            (byte) 0xb7, 0, 0, 0, 2, 0, 0, 0,
            (byte) 0x95, 0, 0, 0, 0, 0, 0, 0};
    private static final int BPF_PROG_TYPE_XDP = 6;

    private final String name;
    private final int ifindex;
    private final String driver;

    private OffloadDevice(String name, int ifindex, String driver) {
        this.name = name;
        this.ifindex = ifindex;
        this.driver = driver;
    }

    /**
     * The device named {@code name} in the caller's netns.
     *
     * @throws IllegalArgumentException when the name is not a valid interface name
     * @throws DeviceGoneException      when no such device exists (ENODEV)
     */
    public static OffloadDevice byName(String name) {
        validateName(name);
        SysResult r = LibC.ifNameToIndex(name);
        if (r.failed()) {
            throw new DeviceGoneException(Failure.of("resolve device '" + name + "'", r.errno() == 0 ? Errno.ENODEV : r.errno()));
        }
        return new OffloadDevice(name, r.intValue(), driverOf(name));
    }

    /**
     * The device with interface index {@code ifindex} in the caller's netns.
     *
     * @throws IllegalArgumentException when {@code ifindex <= 0}
     * @throws DeviceGoneException      when no such device exists
     */
    public static OffloadDevice byIndex(int ifindex) {
        if (ifindex <= 0) {
            throw new IllegalArgumentException("ifindex must be positive: " + ifindex);
        }
        String name = LibC.ifIndexToName(ifindex).orElseThrow(() ->
                new DeviceGoneException(Failure.of("resolve device with ifindex " + ifindex, Errno.ENODEV)));
        return new OffloadDevice(name, ifindex, driverOf(name));
    }

    private static void validateName(String name) {
        if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 15
                || name.contains("/") || name.chars().anyMatch(Character::isWhitespace) || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("not a valid interface name: " + name);
        }
    }

    private static String driverOf(String name) {
        Ethtool.DriverInfo info = Ethtool.driverInfo(name);
        if (info.errno() == 0 && !info.driver().isEmpty()) {
            return info.driver();
        }
        // drivers without ethtool ops: fall back to the sysfs driver link
        try {
            Path link = Path.of("/sys/class/net", name, "device", "driver");
            if (Files.isSymbolicLink(link)) {
                return Files.readSymbolicLink(link).getFileName().toString();
            }
        } catch (IOException e) {
            // no parent device: unknown driver
        }
        return "";
    }

    /** The interface name at resolution time. */
    public String name() {
        return name;
    }

    /** The interface index in the caller's netns. */
    public int ifindex() {
        return ifindex;
    }

    /** The driver name the kernel reports ({@code ethtool -i}), e.g. {@code netdevsim}, {@code nfp}, {@code nfpsim}; empty when unknown. */
    public String driver() {
        return driver;
    }

    /** The kind of device, from {@link #driver()}. */
    public DeviceKind kind() {
        return DeviceKind.ofDriver(driver);
    }

    /**
     * Asks the kernel whether programs can be bound to this device: loads a two-instruction XDP
     * program with {@code prog_ifindex} set and unloads it. False when the kernel refuses with
     * EOPNOTSUPP (no offload support, or the device refuses binding) or EINVAL (not an offload netdev).
     *
     * @throws DeviceGoneException                               when the device has disappeared
     * @throws dev.nicoffload.offload.error.PermissionDeniedException when the caller may not load programs
     */
    public boolean canOffload() {
        return probeErrno() == 0;
    }

    /**
     * Like {@link #canOffload()} but throws {@link dev.nicoffload.offload.error.DeviceNotOffloadCapableException}
     * carrying the kernel's errno when the device cannot take bound programs.
     */
    public OffloadDevice requireOffloadCapable() {
        int errno = probeErrno();
        if (errno != 0) {
            throw Errors.notCapable("probe load of a program bound to " + name, errno, name);
        }
        return this;
    }

    private int probeErrno() {
        BpfSyscall.ProgLoadResult r = BpfSyscall.progLoad(BPF_PROG_TYPE_XDP, PROBE_PROGRAM, "GPL", ifindex, 0);
        if (!r.result().failed()) {
            Fds.closeQuietly(r.result().intValue());
            return 0;
        }
        int errno = r.result().errno();
        if (errno == Errno.EINVAL && Errors.deviceGone(this)) {
            throw Errors.gone(Failure.of("probe offload on " + name, errno), this);
        }
        return switch (errno) {
            case Errno.EOPNOTSUPP, Errno.EINVAL, Errno.ENOTSUPP -> errno;
            default -> throw Errors.load("probe offload on " + name, errno, null);
        };
    }

    /**
     * Every port of the same offload device (the same ASIC; for netdevsim the same bus device),
     * this one included, as found in sysfs; just this device when it has no parent device.
     */
    public List<OffloadDevice> ports() {
        Path net = Path.of("/sys/class/net", name, "device", "net");
        List<OffloadDevice> out = new ArrayList<>();
        if (Files.isDirectory(net)) {
            try (Stream<Path> s = Files.list(net)) {
                for (Path p : s.sorted().toList()) {
                    String port = p.getFileName().toString();
                    if (port.equals(name)) {
                        out.add(this);
                    } else {
                        try {
                            out.add(byName(port));
                        } catch (DeviceGoneException gone) {
                            // port removed meanwhile
                        }
                    }
                }
            } catch (IOException e) {
                // fall through: only this device
            }
        }
        if (out.isEmpty()) {
            out.add(this);
        }
        return List.copyOf(out);
    }

    /** True when {@code other} is a port of the same offload device as this one. */
    public boolean sharesOffloadDeviceWith(OffloadDevice other) {
        Optional<Path> a = parentDevice(name);
        Optional<Path> b = parentDevice(other.name);
        if (a.isEmpty() || b.isEmpty()) {
            return name.equals(other.name);
        }
        return a.get().equals(b.get());
    }

    private static Optional<Path> parentDevice(String ifname) {
        try {
            Path dev = Path.of("/sys/class/net", ifname, "device");
            return Files.exists(dev) ? Optional.of(dev.toRealPath()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffloadDevice d && d.ifindex == ifindex && d.name.equals(name);
    }

    @Override
    public int hashCode() {
        return 31 * ifindex + name.hashCode();
    }

    @Override
    public String toString() {
        return name + " (ifindex " + ifindex + ", driver " + (driver.isEmpty() ? "unknown" : driver) + ")";
    }
}
