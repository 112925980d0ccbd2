package dev.nicoffload.it.tc;

import dev.nicoffload.NicOffload;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.it.offload.Await;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.error.BpfOperationException;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.tc.HwTcOffload;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcAttachment;
import dev.nicoffload.offload.tc.TcDirection;
import dev.nicoffload.offload.tc.TcFilter;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.BoundProgram;
import dev.nicoffload.testing.netdevsim.DeviceKnob;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.netdevsim.PortKnob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;
import java.util.Optional;

import static dev.nicoffload.it.tc.TcFixtures.RET_MINUS_ONE;
import static dev.nicoffload.it.tc.TcFixtures.TC_DROP;
import static dev.nicoffload.it.tc.TcFixtures.assertRejected;
import static dev.nicoffload.it.tc.TcFixtures.bound;
import static dev.nicoffload.it.tc.TcFixtures.device;
import static dev.nicoffload.it.tc.TcFixtures.host;
import static dev.nicoffload.it.tc.TcFixtures.programExists;
import static dev.nicoffload.it.tc.TcFixtures.programListed;
import static dev.nicoffload.it.tc.TcFixtures.tcOffloadOn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * test_offload.py's "program destruction and the TC path" (offload-facts §4.2, scenarios 1-20)
 * through nicoffload's API, one fresh netdevsim device per scenario.
 */
@ExtendWith(NetdevsimCleanup.class)
class TcPathScenariosTest {

    /** The flag sets test_offload.py cycles through: none, skip_sw, skip_hw. */
    private static final List<TcOptions> FLAG_SETS = List.of(TcOptions.defaults(), TcOptions.offloaded(), TcOptions.software());

    /** The program tc would load for these flags: bound for skip_sw, on the host otherwise. */
    private static Program programFor(TcOptions o, LoadedObject boundObj, LoadedObject hostObj) {
        return (o.skipSw() ? boundObj : hostObj).program(TC_DROP);
    }

    @Test
    void scenario01_destructionOfGenericXdp() {
        int id;
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.host())) {
                Program p = obj.program("xdp_pass");
                id = p.id();
                p.attachXdp(eth, XdpMode.SKB); // left attached: only the device holds the program after the object closes
            }
            assertTrue(programListed(id), "the generic XDP attachment keeps the program");
        }
        assertTrue(Await.until(() -> !programExists(id)), "removing the device frees the program");
    }

    @Test
    void scenario02_tcNonOffloaded() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = host()) {
            OffloadDevice eth = device(dev.port(0));
            assertTrue(Tc.ensureClsact(eth));
            assertFalse(Tc.ensureClsact(eth), "already there");
            assertEquals(Optional.of("clsact"), Tc.clsactKind(eth));
            TcFilter f = Tc.addFilter(eth, obj.program(TC_DROP), TcOptions.software());
            assertTrue(f.skipHw());
            assertFalse(f.inHw());
            assertEquals(obj.program(TC_DROP).id(), f.programId());
            assertEquals(List.of(f.programId()), Tc.filters(eth, TcDirection.INGRESS).stream().map(TcFilter::programId).toList());
        }
    }

    @Test
    void scenario03_tcNonOffloadedIsNotGettingBound() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = host()) {
            OffloadDevice eth = device(dev.port(0));
            Tc.ensureClsact(eth);
            TcFilter f = Tc.addFilter(eth, obj.program(TC_DROP), TcOptions.defaults());
            assertFalse(f.skipSw());
            assertFalse(f.skipHw());
            assertEquals(List.of(), dev.boundPrograms());
        }
    }

    @Test
    void scenario04_tcOffloadsAreOffByDefault() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            assertTrue(HwTcOffload.isSupported(eth));
            assertFalse(HwTcOffload.isEnabled(eth), "netdevsim starts with hw-tc-offload off");
            try (LoadedObject obj = bound(eth)) {
                Tc.ensureClsact(eth);
                assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP, "TC offload is disabled on net device",
                        () -> obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded()));
                assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS));
            }
            HwTcOffload.set(eth, true);
            assertTrue(HwTcOffload.isEnabled(eth));
        }
    }

    @Test
    void scenario05_tcOffloadByDefault() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1); LoadedObject obj = host()) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            port.set(PortKnob.BPF_TC_NON_BOUND_ACCEPT, true);
            Tc.ensureClsact(eth);
            TcFilter f = Tc.addFilter(eth, obj.program(TC_DROP), TcOptions.defaults());
            assertEquals(List.of(), dev.boundPrograms(), "a host program is not bound");
            assertTrue(f.inHw(), "without skip_sw the device took the unbound program");
            assertTrue(Tc.filters(eth, TcDirection.INGRESS).get(0).inHw());
            assertEquals(f.programId(), port.offloadedProgramId());
        }
    }

    @Test
    void scenario06_tcCbpfBytecodeTriesOffloadByDefault() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            port.set(PortKnob.BPF_TC_NON_BOUND_ACCEPT, true);
            Tc.ensureClsact(eth);
            TcFilter f = Tc.addClassicFilter(eth, RET_MINUS_ONE, TcOptions.defaults().withDirectAction(false));
            assertEquals(List.of(), dev.boundPrograms());
            assertTrue(f.inHw());
            assertEquals(0, f.programId(), "classic BPF has no eBPF program id");
        }
    }

    @Test
    void scenario07_tcCbpfUnboundBytecodeDoesNotOffload() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            port.set(PortKnob.BPF_TC_NON_BOUND_ACCEPT, false);
            Tc.ensureClsact(eth);
            assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP, "netdevsim: netdevsim configured to reject unbound programs",
                    () -> Tc.addClassicFilter(eth, RET_MINUS_ONE, TcOptions.offloaded().withDirectAction(false)));
        }
    }

    @Test
    void scenario08_nonZeroChainOffload() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject obj = bound(eth)) {
                assertRejected(AttachRejectedException.class, Errno.EOPNOTSUPP, "Driver supports only offload of chain 0",
                        () -> obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded().withChain(1).withPriority(1).withHandle(1)));
            }
        }
    }

    @Test
    void scenario09_tcReplace() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            Tc.ensureClsact(eth);
            try (LoadedObject b = bound(eth); LoadedObject h = host(); LoadedObject h2 = host()) {
                for (TcOptions o : FLAG_SETS) {
                    Program p = programFor(o, b, h);
                    Tc.addFilter(eth, p, o);
                    Program replacement = o.skipSw() ? p : h2.program(TC_DROP);
                    TcFilter r = Tc.replaceFilter(eth, replacement, o);
                    assertEquals(replacement.id(), r.programId(), "replaced under " + o);
                    Tc.deleteFilter(eth, o);
                    assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS));
                }
            }
        }
    }

    @Test
    void scenario10_tcReplaceBadFlags() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            Tc.ensureClsact(eth);
            try (LoadedObject b = bound(eth); LoadedObject h = host()) {
                for (TcOptions existing : FLAG_SETS) {
                    Tc.replaceFilter(eth, programFor(existing, b, h), existing); // creates it
                    for (TcOptions other : FLAG_SETS) {
                        if (other.equals(existing)) {
                            Tc.replaceFilter(eth, programFor(other, b, h), other);
                        } else {
                            assertRejected(AttachRejectedException.class, Errno.EINVAL,
                                    () -> Tc.replaceFilter(eth, programFor(other, b, h), other));
                        }
                    }
                    Tc.deleteFilter(eth, existing);
                }
            }
        }
    }

    @Test
    void scenario11_spuriousExtackFromTheDriver() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = device(port);
            port.set(PortKnob.BPF_TC_NON_BOUND_ACCEPT, false); // the driver refuses every host program
            Tc.ensureClsact(eth);
            try (LoadedObject h = host()) {
                Program p = h.program(TC_DROP);
                for (boolean offloadOn : new boolean[] {true, false}) {
                    HwTcOffload.set(eth, offloadOn);
                    for (TcOptions o : List.of(TcOptions.defaults(), TcOptions.software())) {
                        String what = o + ", hw-tc-offload " + offloadOn;
                        TcFilter added = Tc.addFilter(eth, p, o);
                        assertEquals(Optional.empty(), added.kernelWarning(), "add " + what);
                        assertFalse(added.inHw());
                        assertEquals(Optional.empty(), Tc.replaceFilter(eth, p, o).kernelWarning(), "replace " + what);
                        assertEquals(Optional.empty(), Tc.deleteFilter(eth, o), "delete " + what);
                    }
                }
            }
        }
    }

    @Test
    void scenario12_tcOffloadsFailure() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_ACCEPT, false);
            VerifierRejectedException e = assertThrows(VerifierRejectedException.class, () -> bound(eth));
            assertEquals(Errno.EOPNOTSUPP, e.errno());
            assertTrue(e.verifierLog().orElse("").lines().anyMatch("[netdevsim] Hello from netdevsim!"::equals),
                    () -> "verifier log: " + e.verifierLog());
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_ACCEPT, true);
            try (LoadedObject obj = bound(eth)) {
                assertEquals(TC_DROP, obj.program(TC_DROP).name());
            }
        }
    }

    @Test
    void scenario13_tcOffloadsWork() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject obj = bound(eth); TcAttachment tc = obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded())) {
                assertTrue(tc.filter().inHw());
                assertEquals(Optional.empty(), tc.filter().kernelWarning());
            }
        }
    }

    @Test
    void scenario14_tcOffloadBasics() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject obj = bound(eth); TcAttachment tc = obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded())) {
                List<BoundProgram> boundProgs = dev.boundPrograms();
                assertEquals(1, boundProgs.size());
                assertTrue(boundProgs.get(0).loaded());
                List<TcFilter> filters = Tc.filters(eth, TcDirection.INGRESS);
                assertEquals(1, filters.size());
                TcFilter f = filters.get(0);
                assertFalse(f.skipHw());
                assertTrue(f.inHw());
                assertTrue(f.skipSw());
                assertTrue(f.directAction());
                assertEquals(TcOptions.ETH_P_ALL, f.protocol());
                assertEquals(Optional.of(TC_DROP), f.name());
                assertTrue(f.inHwCount().isEmpty(), "cls_bpf in 6.1 reports in_hw but no in_hw_count");
                assertEquals(Optional.of(f), tc.current());
            }
        }
    }

    @Test
    void scenario15_tcOffloadIsDeviceBound() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            NetdevsimPort port = dev.port(0);
            OffloadDevice eth = tcOffloadOn(port);
            try (LoadedObject obj = bound(eth); TcAttachment tc = obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded())) {
                ProgramInfo info = obj.program(TC_DROP).info();
                TcFilter f = tc.filter();
                assertEquals(info.id(), f.programId());
                assertEquals(info.tag(), f.tag());
                assertEquals(List.of(new BoundProgram(info.id(), "xlated", true)), dev.boundPrograms());
                assertEquals(info.id(), port.offloadedProgramId());
                assertEquals(port.ifindex(), info.ifindex());
            }
        }
    }

    @Test
    void scenario16_disablingTcOffloadsIsRejectedWhileFiltersInstalled() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject obj = bound(eth); TcAttachment tc = obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded())) {
                assertRejected(BpfOperationException.class, Errno.EBUSY, () -> HwTcOffload.set(eth, false));
                assertTrue(HwTcOffload.isEnabled(eth));
                assertTrue(tc.current().orElseThrow().inHw());
            }
        }
    }

    @Test
    void scenario17_qdiscRemovalFreesThings() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            int id;
            TcAttachment tc;
            try (LoadedObject obj = bound(eth)) {
                tc = obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded());
                id = tc.filter().programId();
            }
            assertTrue(programListed(id), "the filter holds the program");
            assertTrue(Tc.removeClsact(eth));
            assertTrue(Tc.ensureClsact(eth));
            assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS));
            assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "0 bound programs");
            assertTrue(Await.until(() -> !programListed(id)), "program freed");
            tc.close(); // the filter is gone already: nothing to do
            assertTrue(Tc.removeClsact(eth));
            assertFalse(Tc.removeClsact(eth), "a second removal finds nothing");
        }
    }

    @Test
    void scenario18_disablingTcOffloadsIsOkWithoutFilters() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject obj = bound(eth)) {
                obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded()).close();
            }
            HwTcOffload.set(eth, false);
            assertFalse(HwTcOffload.isEnabled(eth));
            HwTcOffload.set(eth, true);
            assertTrue(HwTcOffload.isEnabled(eth));
        }
    }

    @Test
    void scenario19_destroyingDeviceGetsRidOfTcFilters() {
        int id;
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = tcOffloadOn(dev.port(0));
            try (LoadedObject obj = bound(eth)) {
                id = obj.program(TC_DROP).attachTc(eth, TcOptions.offloaded()).filter().programId();
            }
            assertTrue(programListed(id));
        }
        // orphans included: a program the removal merely orphaned would still exist (6.1 keeps its id)
        assertTrue(Await.until(() -> !programExists(id)), "device removal tears the filter down and frees the program");
    }

    @Test
    void scenario20_destroyingDeviceGetsRidOfXdp() {
        int id;
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth))) {
                Program p = obj.program("xdp_pass");
                id = p.id();
                p.attachXdp(eth, XdpMode.HW);
            }
            assertTrue(programListed(id));
        }
        assertTrue(Await.until(() -> !programExists(id)), "device removal uninstalls XDP and frees the program, orphans included");
    }
}
