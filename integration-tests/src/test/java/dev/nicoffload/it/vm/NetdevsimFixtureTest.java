package dev.nicoffload.it.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.testing.netdevsim.DeviceKnob;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.netdevsim.PortKnob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The netdevsim fixture creates devices and ports, flips knobs and cleans up, against the real kernel. */
@ExtendWith(NetdevsimCleanup.class)
class NetdevsimFixtureTest {
    @Test
    void createsADeviceWithNamedPorts() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(3)) {
            List<NetdevsimPort> ports = dev.ports();
            assertEquals(List.of(0, 1, 2), ports.stream().map(NetdevsimPort::index).toList());
            for (NetdevsimPort p : ports) {
                assertTrue(Files.isDirectory(Path.of("/sys/class/net", p.name())), p + " has a netdev");
                assertTrue(p.ifindex() > 0);
                assertEquals(0, p.offloadedProgramId(), "nothing offloaded yet");
            }
            assertEquals(3, ports.stream().map(NetdevsimPort::ifindex).distinct().count());
        }
    }

    @Test
    void skipsIdsAlreadyInUse() {
        try (NetdevsimDevice a = NetdevsimDevice.create(1); NetdevsimDevice b = NetdevsimDevice.create(1)) {
            assertNotEquals(a.id(), b.id());
            assertNotEquals(a.port(0).name(), b.port(0).name());
        }
    }

    @Test
    void flipsDeviceAndPortKnobs() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            assertEquals("Y", dev.get(DeviceKnob.BPF_BIND_ACCEPT));
            dev.set(DeviceKnob.BPF_BIND_ACCEPT, false);
            assertEquals("N", dev.get(DeviceKnob.BPF_BIND_ACCEPT));
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_DELAY, 7);
            assertEquals("7", dev.get(DeviceKnob.BPF_BIND_VERIFIER_DELAY));

            NetdevsimPort port = dev.port(0);
            assertTrue(port.get(PortKnob.BPF_XDPOFFLOAD_ACCEPT));
            assertFalse(port.get(PortKnob.BPF_TC_NON_BOUND_ACCEPT), "kernel default is N");
            port.set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, false);
            assertFalse(port.get(PortKnob.BPF_XDPOFFLOAD_ACCEPT));
            assertTrue(dev.boundPrograms().isEmpty());
        }
    }

    @Test
    void addsAndRemovesPorts() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort added = dev.addPort(5);
            assertEquals(5, added.index());
            assertEquals(2, dev.ports().size());
            dev.removePort(0);
            assertEquals(List.of(5), dev.ports().stream().map(NetdevsimPort::index).toList());
        }
    }

    @Test
    void cleanupExtensionTracksDevicesLeftOpen() {
        NetdevsimDevice leftOpen = NetdevsimDevice.create(1);
        assertTrue(NetdevsimDevice.openDevices().contains(leftOpen), "tracked until closed; NetdevsimCleanup closes it after this test");
    }

    @Test
    void closeRemovesTheDeviceAndIsIdempotent() {
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        Path sysfs = dev.sysfs();
        String netdev = dev.port(0).name();
        dev.close();
        dev.close();
        assertFalse(Files.exists(sysfs));
        assertFalse(Files.exists(Path.of("/sys/class/net", netdev)));
        assertThrows(IllegalStateException.class, dev::ports);
    }
}
