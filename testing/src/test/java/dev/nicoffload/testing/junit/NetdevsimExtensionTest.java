package dev.nicoffload.testing.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.netdevsim.PortKnob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @NetdevsimTest} end to end: this class runs on the host under Surefire, the extension runs
 * it in the guest and replays the outcomes here. Every assertion below can only hold in the guest.
 */
@NetdevsimTest(ports = 2)
class NetdevsimExtensionTest {
    @Test
    void runsInTheGuestAsRoot() throws IOException {
        assertNotNull(System.getenv("NICOFFLOAD_IN_GUEST"), "runs in the guest");
        assertTrue(Files.readString(Path.of("/proc/version")).contains("6.1.192"));
        assertTrue(Files.readString(Path.of("/proc/self/status")).lines().anyMatch(l -> l.matches("Uid:\\s+0\\s.*")));
    }

    @Test
    void injectsAFreshDeviceWithTheDeclaredPorts(NetdevsimDevice device, NetdevsimPort port) {
        assertEquals(2, device.ports().size());
        assertEquals(device.port(0), port);
        assertTrue(Files.isDirectory(device.sysfs()));
        assertTrue(device.boundPrograms().isEmpty(), "fresh: nothing bound");
        port.set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, false); // left changed on purpose: the next test gets a new device
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void replaysParameterizedInvocations(int n, NetdevsimPort port) {
        assertTrue(port.get(PortKnob.BPF_XDPOFFLOAD_ACCEPT), "each invocation gets a new device with default knobs");
        assertTrue(n > 0);
    }
}
