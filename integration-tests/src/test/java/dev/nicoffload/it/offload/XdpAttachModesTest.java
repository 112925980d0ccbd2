package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.offload.xdp.XdpPolicy;
import dev.nicoffload.offload.xdp.XdpState;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.BoundProgram;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.netdevsim.PortKnob;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** XDP attach in HW, DRV and SKB modes on netdevsim: refusals with the kernel's extack, mixing modes, replace, detach. */
@ExtendWith(NetdevsimCleanup.class)
class XdpAttachModesTest {

    private static LoadedObject bound(OffloadDevice eth) {
        return NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth));
    }

    private static LoadedObject host() {
        return NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.host());
    }

    @Test
    void deviceBoundProgramInDriverModeIsRefusedByTheCore() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject obj = bound(eth)) {
                AttachRejectedException e = assertThrows(AttachRejectedException.class,
                        () -> obj.program("xdp_pass").attachXdp(eth, XdpMode.DRV));
                assertEquals("Using device-bound program without HW_MODE flag is not supported", e.extack().orElseThrow());
                assertEquals("EINVAL", e.errnoName());
                AttachRejectedException skb = assertThrows(AttachRejectedException.class,
                        () -> obj.program("xdp_pass").attachXdp(eth, XdpMode.SKB));
                assertEquals(22, skb.errno());
                assertTrue(Xdp.query(eth).none());
            }
        }
    }

    @Test
    void hostProgramInHwModeIsRefusedByNetdevsim() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject obj = host()) {
                AttachRejectedException e = assertThrows(AttachRejectedException.class,
                        () -> obj.program("xdp_pass").attachXdp(eth, XdpMode.HW));
                assertEquals("netdevsim: xdpoffload of non-bound program", e.extack().orElseThrow());
                assertEquals(22, e.errno());
                assertTrue(e.getMessage().contains("in HW mode"), e.getMessage());
            }
        }
    }

    @Test
    void programBoundToOneDeviceIsRefusedOnAnother() {
        try (NetdevsimDevice a = NetdevsimDevice.create(1); NetdevsimDevice b = NetdevsimDevice.create(1)) {
            OffloadDevice ethA = OffloadDevice.byName(a.port(0).name());
            OffloadDevice ethB = OffloadDevice.byName(b.port(0).name());
            try (LoadedObject obj = bound(ethA)) {
                AttachRejectedException e = assertThrows(AttachRejectedException.class,
                        () -> obj.program("xdp_pass").attachXdp(ethB, XdpMode.HW));
                assertEquals("netdevsim: program bound to different dev", e.extack().orElseThrow());
                assertEquals(0, b.port(0).offloadedProgramId());
            }
        }
    }

    @Test
    void theSameProgramRunsOnEveryPortOfOneDevice() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(3)) {
            OffloadDevice first = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject obj = bound(first)) {
                Program p = obj.program("xdp_pass");
                int id = p.id();
                List<XdpAttachment> attachments = first.ports().stream().map(port -> p.attachXdp(port, XdpMode.HW)).toList();
                for (NetdevsimPort port : dev.ports()) {
                    assertEquals(id, port.offloadedProgramId(), port.toString());
                }
                assertEquals(List.of(new BoundProgram(id, "xlated", true)), dev.boundPrograms());
                attachments.forEach(XdpAttachment::close);
                for (NetdevsimPort port : dev.ports()) {
                    assertEquals(0, port.offloadedProgramId(), port.toString());
                }
            }
        }
    }

    @Test
    void hardwareAndDriverModesAtOnceAreQueriedAndDetachedPerMode() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = OffloadDevice.byName(port.name());
            try (LoadedObject nic = bound(eth); LoadedObject twin = host()) {
                Program offloaded = nic.program("xdp_pass");
                Program onHost = twin.program("xdp_pass");
                try (XdpAttachment hw = offloaded.attachXdp(eth, XdpMode.HW);
                     XdpAttachment drv = onHost.attachXdp(eth, XdpMode.DRV)) {
                    XdpState both = Xdp.query(eth);
                    assertTrue(both.multi());
                    assertEquals(0, both.programId(), "no single id with several modes");
                    assertEquals(offloaded.id(), both.programId(XdpMode.HW));
                    assertEquals(onHost.id(), both.programId(XdpMode.DRV));
                    assertEquals(0, both.programId(XdpMode.SKB));
                    assertEquals(offloaded.id(), port.offloadedProgramId());

                    hw.close();
                    XdpState left = Xdp.query(eth);
                    assertFalse(left.multi());
                    assertEquals(onHost.id(), left.programId());
                    assertEquals(0, left.programId(XdpMode.HW));
                    assertEquals(0, port.offloadedProgramId());
                    assertTrue(drv.isAttached());
                    assertFalse(hw.isAttached());
                }
                assertTrue(Xdp.query(eth).none());
            }
        }
    }

    @Test
    void genericAndNativeModesExcludeEachOther() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject twin = host(); XdpAttachment drv = twin.program("xdp_pass").attachXdp(eth, XdpMode.DRV)) {
                AttachRejectedException e = assertThrows(AttachRejectedException.class,
                        () -> twin.program("xdp_pass").attachXdp(eth, XdpMode.SKB));
                assertEquals("Native and generic XDP can't be active at the same time", e.extack().orElseThrow());
                assertTrue(drv.isAttached());
            }
        }
    }

    @Test
    void ifNotExistRefusesReplaceAllowsAndExpectedProgramIsChecked() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            try (LoadedObject one = bound(eth); LoadedObject two = bound(eth); LoadedObject three = bound(eth)) {
                Program p1 = one.program("xdp_pass");
                Program p2 = two.program("xdp_pass");
                Program p3 = three.program("xdp_pass");
                XdpAttachment a1 = p1.attachXdp(eth, XdpMode.HW);
                AttachRejectedException busy = assertThrows(AttachRejectedException.class, () -> p2.attachXdp(eth, XdpMode.HW));
                assertEquals("XDP program already attached", busy.extack().orElseThrow());
                assertEquals("EBUSY", busy.errnoName());

                AttachRejectedException mismatch = assertThrows(AttachRejectedException.class,
                        () -> p2.replaceXdp(eth, XdpMode.HW, p3));
                assertEquals("Active program does not match expected", mismatch.extack().orElseThrow());
                assertEquals("EEXIST", mismatch.errnoName());

                XdpAttachment a2 = p2.replaceXdp(eth, XdpMode.HW, p1);
                assertEquals(p2.id(), dev.port(0).offloadedProgramId());
                a1.close(); // p1 is no longer attached: closing leaves p2 alone
                assertEquals(p2.id(), Xdp.query(eth).programId(XdpMode.HW));

                XdpAttachment a3 = p3.attachXdp(eth, XdpMode.HW, XdpPolicy.REPLACE);
                assertEquals(p3.id(), Xdp.query(eth).programId(XdpMode.HW));
                assertNotEquals(p2.id(), p3.id());
                a2.close();
                assertEquals(p3.id(), dev.port(0).offloadedProgramId());
                Xdp.detach(eth, XdpMode.HW);
                assertEquals(0, dev.port(0).offloadedProgramId());
                a3.close(); // already detached: nothing to do
            }
        }
    }

    @Test
    void driverRefusingOffloadGivesItsExtack() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
            dev.port(0).set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, false);
            try (LoadedObject obj = bound(eth)) {
                AttachRejectedException e = assertThrows(AttachRejectedException.class,
                        () -> obj.program("xdp_pass").attachXdp(eth, XdpMode.HW));
                assertEquals("netdevsim: XDP offload disabled in DebugFS", e.extack().orElseThrow());
                assertEquals("EOPNOTSUPP", e.errnoName());
            }
        }
    }
}
