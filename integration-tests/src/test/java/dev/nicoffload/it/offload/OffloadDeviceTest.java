package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.DeviceKind;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceNotOffloadCapableException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.DeviceKnob;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** OffloadDevice against netdevsim and nfpsim0: driver, kind, the offload probe, sibling ports. */
@ExtendWith(NetdevsimCleanup.class)
class OffloadDeviceTest {

    @Test
    void netdevsimPortsResolveWithDriverAndShareOneOffloadDevice() {
        try (NetdevsimDevice a = NetdevsimDevice.create(3); NetdevsimDevice b = NetdevsimDevice.create(1)) {
            NetdevsimPort p0 = a.port(0);
            OffloadDevice d0 = OffloadDevice.byName(p0.name());
            assertEquals("netdevsim", d0.driver());
            assertEquals(DeviceKind.NETDEVSIM, d0.kind());
            assertEquals(p0.ifindex(), d0.ifindex());
            assertEquals(d0, OffloadDevice.byIndex(p0.ifindex()));
            assertTrue(d0.canOffload());
            assertEquals(d0, d0.requireOffloadCapable());
            assertEquals(a.ports().stream().map(NetdevsimPort::name).sorted().toList(),
                    d0.ports().stream().map(OffloadDevice::name).sorted().toList());
            OffloadDevice d2 = OffloadDevice.byName(a.port(2).name());
            OffloadDevice other = OffloadDevice.byName(b.port(0).name());
            assertTrue(d0.sharesOffloadDeviceWith(d2));
            assertFalse(d0.sharesOffloadDeviceWith(other));
            assertEquals(List.of(other), other.ports());
        }
    }

    @Test
    void nfpsimIsAnNfpClassDeviceThatCanOffload() {
        assertTrue(Files.exists(Path.of("/sys/class/net/nfpsim0")), "the test kernel registers nfpsim0");
        OffloadDevice nfp = NicOffload.device("nfpsim0");
        assertEquals("nfpsim", nfp.driver());
        assertEquals(DeviceKind.NFPSIM, nfp.kind());
        assertTrue(nfp.kind().isNfpClass());
        assertTrue(nfp.canOffload());
    }

    @Test
    void loopbackCannotOffload() {
        OffloadDevice lo = NicOffload.device("lo");
        assertFalse(lo.canOffload());
        assertEquals(DeviceKind.OTHER, lo.kind());
    }

    @Test
    void deviceRefusingBindingIsNotOffloadCapableWithEopnotsupp() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            dev.set(DeviceKnob.BPF_BIND_ACCEPT, false);
            assertFalse(eth.canOffload());
            DeviceNotOffloadCapableException e = assertThrows(DeviceNotOffloadCapableException.class,
                    () -> NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth)));
            assertEquals(95, e.errno());
            assertEquals("EOPNOTSUPP", e.errnoName());
            assertEquals(eth.name(), e.device());
            dev.set(DeviceKnob.BPF_BIND_ACCEPT, true);
            assertTrue(eth.canOffload());
        }
    }
}
