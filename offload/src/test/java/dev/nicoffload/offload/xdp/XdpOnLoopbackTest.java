package dev.nicoffload.offload.xdp;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.testsupport.BpfC;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rtnetlink attach path against the host kernel, without changing anything: loopback has no
 * driver XDP, so a HW-mode attach is refused with the core's extack, and a detach is a no-op.
 */
class XdpOnLoopbackTest {

    @Test
    void hwAttachOnLoopbackIsRefusedWithTheKernelsExtack() {
        OffloadDevice lo = OffloadDevice.byName("lo");
        try (LoadedObject obj = ObjectLoader.load(BpfC.compile("xdp_pass", BpfC.XDP_PASS), LoadOptions.host())) {
            AttachRejectedException e = assertThrows(AttachRejectedException.class,
                    () -> obj.program("xdp_pass").attachXdp(lo, XdpMode.HW));
            assertEquals("EOPNOTSUPP", e.errnoName());
            assertEquals("Underlying driver does not support XDP in native mode", e.extack().orElseThrow());
            assertTrue(e.operation().contains("to lo in HW mode"), e.operation());
        }
        assertTrue(Xdp.query(lo).none());
        Xdp.detach(lo, XdpMode.HW); // nothing attached: the kernel accepts the no-op
        assertEquals(0, Xdp.query(lo).programId(XdpMode.HW));
    }
}
