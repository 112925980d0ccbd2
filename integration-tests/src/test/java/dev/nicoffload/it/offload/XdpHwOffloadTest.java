package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.jit.image.NoJitImage;
import dev.nicoffload.offload.device.DeviceKind;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.BoundProgram;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The README demo path: load bound to a netdevsim port, attach in HW mode, read the state back, detach. */
@ExtendWith(NetdevsimCleanup.class)
class XdpHwOffloadTest {

    @Test
    void loadBoundAndAttachInHwModeIsVisibleInProgramInfoAndDebugfs() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = NicOffload.device(port.name());
            assertEquals(DeviceKind.NETDEVSIM, eth.kind());
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth))) {
                Program p = obj.program("xdp_pass");
                ProgramInfo info = p.info();
                assertTrue(info.deviceBound());
                assertEquals(port.ifindex(), info.ifindex());
                assertEquals(port.name(), info.ifname().orElseThrow());
                assertEquals(0, info.jitedLength(), "netdevsim keeps no device image");
                assertInstanceOf(NoJitImage.class, p.deviceImage());
                assertTrue(info.xlatedLength() > 0);
                assertEquals(List.of(new BoundProgram(info.id(), "xlated", false)), dev.boundPrograms());

                try (XdpAttachment a = p.attachXdp(eth, XdpMode.HW)) {
                    assertEquals(info.id(), a.programId());
                    assertEquals(info.id(), port.offloadedProgramId());
                    assertEquals(List.of(new BoundProgram(info.id(), "xlated", true)), dev.boundPrograms());
                    assertEquals(info.id(), Xdp.query(eth).hwProgramId());
                    assertTrue(a.isAttached());
                }
                assertEquals(0, port.offloadedProgramId(), "closing the attachment detaches");
                assertEquals(0, Xdp.query(eth).hwProgramId());
                assertEquals(List.of(new BoundProgram(info.id(), "xlated", false)), dev.boundPrograms());
            }
            // the kernel frees a program in deferred work after its last fd closes
            assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "closing the object unloads the program");
        }
    }
}
