package dev.nicoffload.it.faults;

import dev.nicoffload.NicOffload;
import dev.nicoffload.it.offload.Await;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.DeviceNotOffloadCapableException;
import dev.nicoffload.offload.error.NotSupportedException;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.tc.HwTcOffload;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.DeviceKnob;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.PortKnob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults: the device or a port disappears while programs and maps are open, attached, queried in a
 * loop and pinned; every netdevsim accept knob flipped to N. Each ends in a typed exception or a
 * clean state, with the process's fd count back where it was.
 */
@ExtendWith(NetdevsimCleanup.class)
class FaultsTest {

    /** Open fds after letting the Cleaner finish with earlier tests' forgotten handles. */
    private static long openFds() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void deviceRemovedWhileOpenAttachedQueriedAndPinnedGivesDeviceGoneAndLeaksNoFd() throws Exception {
        Path progPin = Path.of("/sys/fs/bpf/nicoffload-fault-prog");
        Path mapPin = Path.of("/sys/fs/bpf/nicoffload-fault-map");
        long fdsBefore = openFds();
        NetdevsimDevice dev = NetdevsimDevice.create(2);
        try {
            OffloadDevice eth0 = NicOffload.device(dev.port(0).name());
            OffloadDevice eth1 = NicOffload.device(dev.port(1).name());
            LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth0));
            Program p = obj.program("xdp_maps_ret0");
            BpfMap htab = obj.map("htab");
            XdpAttachment a0 = p.attachXdp(eth0, XdpMode.HW);
            XdpAttachment a1 = p.attachXdp(eth1, XdpMode.HW);
            p.pin(progPin);
            htab.pin(mapPin);

            // a reader queries the map until the device is gone; it must end in DeviceGoneException, not hang
            AtomicBoolean started = new AtomicBoolean();
            AtomicInteger reads = new AtomicInteger();
            CompletableFuture<OffloadException> reader = CompletableFuture.supplyAsync(() -> {
                while (true) {
                    try {
                        htab.info();
                        reads.incrementAndGet();
                        started.set(true);
                    } catch (OffloadException e) {
                        return e;
                    }
                }
            });
            assertTrue(Await.until(started::get), "the reader runs");

            dev.removePort(0);        // the binding moves to port 1; everything still works
            assertTrue(Await.until(() -> !Files.exists(Path.of("/sys/class/net", eth0.name()))));
            assertEquals(dev.port(1).name(), p.info().ifname().orElseThrow());
            assertFalse(reader.isDone(), "the map lives on after its port went: " + reader);
            assertTrue(a1.isAttached());

            dev.close();              // now the device is gone
            OffloadException fromReader = reader.get(60, TimeUnit.SECONDS);
            assertInstanceOf(DeviceGoneException.class, fromReader);
            assertTrue(reads.get() > 0);
            assertThrows(DeviceGoneException.class, p::info);
            assertThrows(DeviceGoneException.class, htab::info);
            assertThrows(DeviceGoneException.class, () -> Program.openPinned(progPin));
            assertThrows(DeviceGoneException.class, () -> BpfMap.openPinned(mapPin));
            assertFalse(a0.isAttached());
            a0.close();               // the devices are gone: closing is quiet
            a1.close();
            obj.close();
            assertTrue(p.isClosed() && htab.isClosed());
        } finally {
            dev.close();
            Files.deleteIfExists(progPin);
            Files.deleteIfExists(mapPin);
        }
        long fdsAfter = openFds();
        assertTrue(fdsAfter <= fdsBefore, "no fd left behind: " + fdsBefore + " before, " + fdsAfter + " after");
    }

    @Test
    void everyAcceptKnobFlippedToNoEndsInATypedErrorAndLeaksNoFd() {
        long fdsBefore = openFds();
        List<String> seen = new ArrayList<>();
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            HwTcOffload.set(eth, true);

            dev.set(DeviceKnob.BPF_BIND_ACCEPT, false);
            seen.add(load(eth, SampleObjects.XDP_PASS, DeviceNotOffloadCapableException.class));
            dev.set(DeviceKnob.BPF_BIND_ACCEPT, true);

            dev.set(DeviceKnob.BPF_BIND_VERIFIER_ACCEPT, false);
            seen.add(load(eth, SampleObjects.XDP_PASS, VerifierRejectedException.class));
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_ACCEPT, true);

            dev.port(0).set(PortKnob.BPF_MAP_ACCEPT, false);
            seen.add(load(eth, SampleObjects.XDP_MAPS_RET0, NotSupportedException.class));
            dev.port(0).set(PortKnob.BPF_MAP_ACCEPT, true);

            try (LoadedObject twin = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.host())) {
                dev.port(0).set(PortKnob.BPF_XDPDRV_ACCEPT, false);
                AttachRejectedException drv = assertThrows(AttachRejectedException.class,
                        () -> twin.program("xdp_pass").attachXdp(eth, XdpMode.DRV));
                assertEquals("netdevsim: driver XDP disabled in DebugFS", drv.extack().orElseThrow());
                seen.add("drv");
                dev.port(0).set(PortKnob.BPF_XDPDRV_ACCEPT, true);
            }

            try (LoadedObject tc = NicOffload.load(SampleObjects.TC_DROP.bytes(), LoadOptions.offloadTo(eth))) {
                dev.port(0).set(PortKnob.BPF_TC_ACCEPT, false);
                AttachRejectedException e = assertThrows(AttachRejectedException.class,
                        () -> tc.program("tc_drop").attachTc(eth, TcOptions.offloaded()));
                assertEquals("netdevsim: netdevsim configured to reject BPF TC offload", e.extack().orElseThrow());
                seen.add("tc");
                dev.port(0).set(PortKnob.BPF_TC_ACCEPT, true);
            }

            // XDP offload refused after the attach: the detach is refused too, and says so
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth))) {
                XdpAttachment hw = obj.program("xdp_pass").attachXdp(eth, XdpMode.HW);
                dev.port(0).set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, false);
                AttachRejectedException detach = assertThrows(AttachRejectedException.class, () -> Xdp.detach(eth, XdpMode.HW));
                assertEquals("netdevsim: XDP offload disabled in DebugFS", detach.extack().orElseThrow());
                assertTrue(hw.isAttached(), "nothing silently lost: still attached");
                dev.port(0).set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, true);
                hw.close();
                assertFalse(hw.isAttached());
                seen.add("xdpoffload");
            }
            assertTrue(Await.until(() -> dev.boundPrograms().isEmpty()), "nothing left bound: " + dev.boundPrograms());
        }
        assertEquals(List.of("bind", "verifier", "map", "drv", "tc", "xdpoffload"), seen);
        long fdsAfter = openFds();
        assertTrue(fdsAfter <= fdsBefore, "no fd left behind: " + fdsBefore + " before, " + fdsAfter + " after");
    }

    private static String load(OffloadDevice eth, SampleObjects sample, Class<? extends OffloadException> expected) {
        OffloadException e = assertThrows(OffloadException.class,
                () -> NicOffload.load(sample.bytes(), LoadOptions.offloadTo(eth)).close());
        assertInstanceOf(expected, e);
        assertEquals("EOPNOTSUPP", e.errnoName());
        return switch (e) {
            case DeviceNotOffloadCapableException x -> "bind";
            case VerifierRejectedException x -> "verifier";
            default -> "map";
        };
    }
}
