package dev.nicoffload.it.tc;

import dev.nicoffload.NicOffload;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcAttachment;
import dev.nicoffload.offload.tc.TcDirection;
import dev.nicoffload.offload.tc.TcFilter;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.netdevsim.PortKnob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;

import static dev.nicoffload.it.tc.TcFixtures.MISMATCH;
import static dev.nicoffload.it.tc.TcFixtures.TC_DROP;
import static dev.nicoffload.it.tc.TcFixtures.assertRejected;
import static dev.nicoffload.it.tc.TcFixtures.bound;
import static dev.nicoffload.it.tc.TcFixtures.device;
import static dev.nicoffload.it.tc.TcFixtures.host;
import static dev.nicoffload.it.tc.TcFixtures.tcOffloadOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TC rows of the netdevsim test plan (offload-facts, "netdevsim test plan", step 6) that
 * §4.2 does not already cover, among them scenario 38 ("Test mixing of TC and XDP") in both orders
 * and scenario 42 ("Test asking for TC offload of two filters").
 */
@ExtendWith(NetdevsimCleanup.class)
class TcOffloadPlanTest {

    private static LoadedObject boundXdp(OffloadDevice eth) {
        return NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth));
    }

    @Test
    void step6_offloadWorksAndClosingTheAttachmentRemovesTheFilter() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            try (LoadedObject obj = bound(eth)) {
                Program p = obj.program(TC_DROP);
                try (TcAttachment tc = p.attachTc(eth, TcOptions.offloaded())) {
                    assertTrue(tc.filter().inHw());
                    assertEquals(p.id(), tc.filter().programId());
                    assertEquals(p.info().tag(), tc.filter().tag());
                    assertEquals(p.id(), port.offloadedProgramId());
                }
                assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS), "closing the attachment deletes the filter");
                assertEquals(0, port.offloadedProgramId());
                assertEquals(Optional.of("clsact"), Tc.clsactKind(eth), "the qdisc stays");
            }
        }
    }

    @Test
    void scenario38_tcWhileXdpHwIsActiveIsAStateMismatch() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject xdp = boundXdp(eth); XdpAttachment hw = xdp.program("xdp_pass").attachXdp(eth, XdpMode.HW);
                 LoadedObject tcObj = bound(eth)) {
                assertRejected(AttachRejectedException.class, Errno.EBUSY, MISMATCH,
                        () -> tcObj.program(TC_DROP).attachTc(eth, TcOptions.offloaded()));
                assertTrue(hw.isAttached());
                assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS));
            }
        }
    }

    @Test
    void scenario38_xdpHwWhileTcIsActiveIsRefused() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            try (LoadedObject tcObj = bound(eth); TcAttachment tc = tcObj.program(TC_DROP).attachTc(eth, TcOptions.offloaded());
                 LoadedObject xdp = boundXdp(eth)) {
                assertRejected(AttachRejectedException.class, Errno.EBUSY, "netdevsim: TC program is already loaded",
                        () -> xdp.program("xdp_pass").attachXdp(eth, XdpMode.HW));
                assertEquals(0, Xdp.query(eth).hwProgramId());
                assertEquals(tc.filter().programId(), port.offloadedProgramId());
            }
        }
    }

    @Test
    void scenario42_secondSkipSwFilterIsAStateMismatch() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject first = bound(eth); LoadedObject second = bound(eth);
                 TcAttachment tc = first.program(TC_DROP).attachTc(eth, TcOptions.offloaded())) {
                assertRejected(AttachRejectedException.class, Errno.EBUSY, MISMATCH,
                        () -> second.program(TC_DROP).attachTc(eth, TcOptions.offloaded().withPriority(2).withHandle(2)));
                assertEquals(List.of(tc.filter().programId()),
                        Tc.filters(eth, TcDirection.INGRESS).stream().map(TcFilter::programId).toList());
            }
        }
    }

    @Test
    void step6_replaceWithDifferentFlagsIsEinval() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject b = bound(eth); LoadedObject h = host();
                 TcAttachment tc = b.program(TC_DROP).attachTc(eth, TcOptions.offloaded())) {
                assertRejected(AttachRejectedException.class, Errno.EINVAL,
                        () -> Tc.replaceFilter(eth, h.program(TC_DROP), TcOptions.software()));
                assertTrue(tc.current().isPresent(), "the offloaded filter is untouched");
            }
        }
    }

    @Test
    void step6_nonBoundEbpfFollowsNonBoundAccept() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            try (LoadedObject h = host()) {
                Program p = h.program(TC_DROP);
                assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP,
                        "netdevsim: netdevsim configured to reject unbound programs", () -> p.attachTc(eth, TcOptions.offloaded()));
                port.set(PortKnob.BPF_TC_NON_BOUND_ACCEPT, true);
                try (TcAttachment tc = p.attachTc(eth, TcOptions.offloaded())) {
                    assertTrue(tc.filter().inHw());
                    assertEquals(p.id(), port.offloadedProgramId());
                }
            }
        }
    }

    @Test
    void step6_tcAcceptKnobRefusesTcOffload() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            port.set(PortKnob.BPF_TC_ACCEPT, false);
            try (LoadedObject b = bound(eth)) {
                assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP,
                        "netdevsim: netdevsim configured to reject BPF TC offload",
                        () -> b.program(TC_DROP).attachTc(eth, TcOptions.offloaded()));
            }
        }
    }

    @Test
    void step6_boundProgramWithoutSkipSwIsRefusedByClsBpf() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject b = bound(eth)) {
                assertRejected(AttachRejectedException.class, Errno.EINVAL,
                        () -> b.program(TC_DROP).attachTc(eth, TcOptions.defaults()));
            }
        }
    }

    @Test
    void step6_egressCannotBeOffloaded() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject b = bound(eth)) {
                // netdevsim binds ingress blocks only: the egress block has no callback, so skip_sw finds no hardware
                assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP, null,
                        () -> b.program(TC_DROP).attachTc(eth, TcOptions.offloaded().withDirection(TcDirection.EGRESS)));
                assertEquals(List.of(), Tc.filters(eth, TcDirection.EGRESS));
            }
        }
    }

    @Test
    void step6_nonAllProtocolIsRefusedForOffload() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject b = bound(eth)) {
                assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP,
                        "netdevsim: only ETH_P_ALL supported as filter protocol",
                        () -> b.program(TC_DROP).attachTc(eth, TcOptions.offloaded().withProtocol(0x0800)));
            }
        }
    }

    @Test
    void step6_wrongProgramTypeIsRefusedBeforeTheKernel() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1);
             LoadedObject xdp = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.host())) {
            OffloadDevice eth = device(dev.port(0));
            assertThrows(IllegalArgumentException.class, () -> xdp.program("xdp_pass").attachTc(eth, TcOptions.software()));
            assertFalse(Tc.clsactKind(eth).isPresent(), "nothing was changed on the device");
        }
    }
}
