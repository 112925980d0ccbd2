package dev.nicoffload.it.concurrency;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcAttachment;
import dev.nicoffload.offload.tc.TcFilter;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.offload.xdp.XdpPolicy;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.PortKnob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16 item 5: attachment handles tell the truth after a refusal, and an old handle never
 * detaches a newer program that replaced it. The race rounds ({@code nicoffload.attachRace.rounds},
 * default 200) close an old attachment while another thread replaces its program; whichever
 * comes first, the replacing program must be attached at the end.
 */
@ExtendWith(NetdevsimCleanup.class)
class AttachmentCloseTest {

    private static final int RACE_ROUNDS = Integer.getInteger("nicoffload.attachRace.rounds", 200);

    private static LoadedObject xdpBound(OffloadDevice eth) {
        return NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth));
    }

    private static LoadedObject tcHost() {
        return NicOffload.load(SampleObjects.TC_DROP.bytes(), LoadOptions.host());
    }

    @Test
    void refusedXdpDetachLeavesTheAttachmentOpenAndARetryDetaches() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (LoadedObject obj = xdpBound(eth)) {
                Program p = obj.program("xdp_pass");
                XdpAttachment hw = p.attachXdp(eth, XdpMode.HW);
                dev.port(0).set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, false);
                AttachRejectedException refused = assertThrows(AttachRejectedException.class, hw::close);
                assertEquals("netdevsim: XDP offload disabled in DebugFS", refused.extack().orElseThrow());
                assertTrue(hw.isAttached(), "a refused detach leaves the attachment attached, and it says so");
                assertEquals(p.id(), dev.port(0).offloadedProgramId());
                assertThrows(AttachRejectedException.class, hw::close, "closing again retries (and is refused again)");
                dev.port(0).set(PortKnob.BPF_XDPOFFLOAD_ACCEPT, true);
                hw.close();
                assertFalse(hw.isAttached());
                assertEquals(0, dev.port(0).offloadedProgramId(), "the retry detached the program");
                hw.close(); // closed now: nothing more to do
            }
        }
    }

    @Test
    void oldXdpHandleLeavesTheProgramThatReplacedItAttached() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (LoadedObject two = xdpBound(eth)) {
                Program p2 = two.program("xdp_pass");
                XdpAttachment old;
                try (LoadedObject one = xdpBound(eth)) {
                    old = one.program("xdp_pass").attachXdp(eth, XdpMode.HW);
                } // the old program's handle is closed; the program stays attached
                XdpAttachment newer = p2.attachXdp(eth, XdpMode.HW, XdpPolicy.REPLACE);
                old.close();
                assertEquals(p2.id(), Xdp.query(eth).programId(XdpMode.HW), "the newer program stays attached");
                assertTrue(newer.isAttached());
                newer.close();
                assertEquals(0, dev.port(0).offloadedProgramId());
            }
        }
    }

    @Test
    void oldTcHandleLeavesTheProgramThatReplacedItAttached() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            TcOptions place = TcOptions.software();
            try (LoadedObject one = tcHost(); LoadedObject two = tcHost()) {
                TcAttachment old = one.program("tc_drop").attachTc(eth, place);
                TcFilter newer = Tc.replaceFilter(eth, two.program("tc_drop"), place);
                old.close();
                Optional<TcFilter> now = Tc.filter(eth, place);
                assertTrue(now.isPresent(), "the filter that replaced the old one is still there");
                assertEquals(newer.programId(), now.get().programId());
                assertEquals(two.program("tc_drop").id(), now.get().programId());
                Tc.deleteFilter(eth, place);
            }
        }
    }

    @Test
    void xdpCloseRacingAReplaceNeverDetachesTheReplacement() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (LoadedObject one = xdpBound(eth); LoadedObject two = xdpBound(eth)) {
                int p1 = one.program("xdp_pass").id();
                Program p2 = two.program("xdp_pass");
                race("XDP", () -> {
                    try (Program handle = Program.openById(p1)) { // closed before the close: detach goes by id
                        return handle.attachXdp(eth, XdpMode.HW, XdpPolicy.REPLACE);
                    }
                }, () -> p2.attachXdp(eth, XdpMode.HW, XdpPolicy.REPLACE),
                        () -> Xdp.query(eth).programId(XdpMode.HW) == p2.id());
                Xdp.detach(eth, XdpMode.HW);
            }
        }
    }

    @Test
    void tcCloseRacingAReplaceNeverDeletesTheReplacement() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            TcOptions place = TcOptions.software();
            try (LoadedObject one = tcHost(); LoadedObject two = tcHost()) {
                Program p1 = one.program("tc_drop");
                Program p2 = two.program("tc_drop");
                int p2Id = p2.id();
                race("TC", () -> {
                    if (Tc.filter(eth, place).isPresent()) {
                        Tc.deleteFilter(eth, place);
                    }
                    return p1.attachTc(eth, place);
                }, () -> Tc.replaceFilter(eth, p2, place),
                        () -> Tc.filter(eth, place).map(f -> f.programId() == p2Id).orElse(false));
                Tc.deleteFilter(eth, place);
            }
        }
    }

    /** A setup step that returns the old attachment. */
    private interface Attach {
        AutoCloseable attach() throws Exception;
    }

    /** The replacing step. */
    private interface Replace {
        Object replace() throws Exception;
    }

    /** The final check. */
    private interface Check {
        boolean holds() throws Exception;
    }

    private static void race(String what, Attach attachOld, Replace replace, Check replacementAttached) throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        int lost = 0;
        try {
            for (int round = 0; round < RACE_ROUNDS; round++) {
                AutoCloseable old = attachOld.attach();
                CountDownLatch go = new CountDownLatch(1);
                Future<Object> replaced = other.submit(() -> {
                    go.await();
                    return replace.replace();
                });
                go.countDown();
                old.close();
                replaced.get(1, TimeUnit.MINUTES);
                if (!replacementAttached.holds()) {
                    lost++;
                }
            }
        } finally {
            other.shutdownNow();
            assertTrue(other.awaitTermination(1, TimeUnit.MINUTES));
        }
        System.out.printf("[attach-race] %s: %d rounds, replacement detached by the old handle in %d%n", what, RACE_ROUNDS, lost);
        assertEquals(0, lost, what + ": rounds in which closing the old attachment removed the program that replaced it");
    }
}
