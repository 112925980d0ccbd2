package dev.nicoffload.testing.netdevsim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * One port (PF netdev) of a {@link NetdevsimDevice}.
 *
 * @param device the device the port belongs to
 * @param index  the port index within the device
 * @param name   the netdev name in the netns it was created in (e.g. {@code eth1})
 */
public record NetdevsimPort(NetdevsimDevice device, int index, String name) {
    /** The netdev's ifindex, read from sysfs now (it changes when the netdev moves netns). */
    public int ifindex() {
        return Integer.parseInt(SysFiles.read(Path.of("/sys/class/net", name, "ifindex")));
    }

    /** The port's debugfs directory. */
    public Path debugfs() {
        return device.debugfs().resolve("ports").resolve(Integer.toString(index));
    }

    /** Sets a boolean port knob. */
    public void set(PortKnob knob, boolean value) {
        Path file = debugfs().resolve(knob.file());
        try {
            SysFiles.write(file, value ? "Y" : "N");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads a boolean port knob. */
    public boolean get(PortKnob knob) {
        return SysFiles.read(debugfs().resolve(knob.file())).equals("Y");
    }

    /** Id of the program offloaded on this port (TC or XDP HW), 0 when none: debugfs {@code bpf_offloaded_id}. */
    public int offloadedProgramId() {
        return Integer.parseInt(SysFiles.read(debugfs().resolve("bpf_offloaded_id")));
    }

    /** Brings the netdev up (netdevsim ports start down). */
    public NetdevsimPort up() {
        Shell.run("ip", "link", "set", "dev", name, "up");
        return this;
    }

    @Override
    public String toString() {
        return "netdevsim" + device.id() + "/port" + index + "(" + name + ")";
    }
}
