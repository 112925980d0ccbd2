package dev.nicoffload.offload.device;

import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.DeviceNotOffloadCapableException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.testsupport.BpfC;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device resolution and the offload probe on the host, where no device can offload. */
class LoopbackDeviceTest {

    @Test
    void loopbackResolvesByNameAndIndexAndCannotOffload() {
        OffloadDevice lo = OffloadDevice.byName("lo");
        assertEquals("lo", lo.name());
        assertTrue(lo.ifindex() > 0);
        assertEquals(lo, OffloadDevice.byIndex(lo.ifindex()));
        assertEquals(DeviceKind.OTHER, lo.kind());
        assertFalse(lo.canOffload(), "the probe load bound to lo is refused (no ndo_bpf)");
        DeviceNotOffloadCapableException e = assertThrows(DeviceNotOffloadCapableException.class, lo::requireOffloadCapable);
        assertEquals(95, e.errno());
        assertEquals(List.of(lo), lo.ports(), "no parent device: only itself");
    }

    @Test
    void loadingBoundToLoopbackSaysTheDeviceCannotOffload() {
        byte[] elf = BpfC.compile("xdp_pass", BpfC.XDP_PASS);
        OffloadDevice lo = OffloadDevice.byName("lo");
        DeviceNotOffloadCapableException e = assertThrows(DeviceNotOffloadCapableException.class,
                () -> ObjectLoader.load(elf, LoadOptions.offloadTo(lo)));
        assertEquals("EOPNOTSUPP", e.errnoName());
        assertEquals("lo", e.device());
        assertTrue(e.operation().contains("xdp_pass"), e.operation());
    }

    @Test
    void unknownDevicesAreGoneAndBadNamesAreArgumentErrors() {
        DeviceGoneException gone = assertThrows(DeviceGoneException.class, () -> OffloadDevice.byName("nosuchnic0"));
        assertEquals(19, gone.errno());
        assertThrows(DeviceGoneException.class, () -> OffloadDevice.byIndex(0x7ffffff0));
        assertThrows(IllegalArgumentException.class, () -> OffloadDevice.byName("../eth0"));
        assertThrows(IllegalArgumentException.class, () -> OffloadDevice.byName("a name too long for linux"));
        assertThrows(IllegalArgumentException.class, () -> OffloadDevice.byName(null));
        assertThrows(IllegalArgumentException.class, () -> OffloadDevice.byIndex(0));
    }

    @Test
    void driverKindsFromDriverNames() {
        assertEquals(DeviceKind.NETDEVSIM, DeviceKind.ofDriver("netdevsim"));
        assertEquals(DeviceKind.NFP, DeviceKind.ofDriver("nfp"));
        assertEquals(DeviceKind.NFPSIM, DeviceKind.ofDriver("nfpsim"));
        assertEquals(DeviceKind.OTHER, DeviceKind.ofDriver("virtio_net"));
        assertTrue(DeviceKind.NFPSIM.isNfpClass());
        assertFalse(DeviceKind.NETDEVSIM.isNfpClass());
    }
}
