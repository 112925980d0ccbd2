package dev.nicoffload.it.scenarios;

import dev.nicoffload.it.offload.Await;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.offload.xdp.XdpPolicy;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.nicoffload.it.scenarios.ScenarioSupport.bound;
import static dev.nicoffload.it.scenarios.ScenarioSupport.device;
import static dev.nicoffload.it.scenarios.ScenarioSupport.pinPath;
import static dev.nicoffload.it.scenarios.ScenarioSupport.programListed;
import static dev.nicoffload.it.scenarios.ScenarioSupport.unpin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * test_offload.py's "multi-dev ASIC" scenarios (offload-facts §4.7): device A with one port, device
 * B with three sharing one offload device, run as one sequence like the script, each step asserted.
 */
@ExtendWith(NetdevsimCleanup.class)
class MultiDeviceScenariosTest {

    private static final String PROG = "xdp_maps_ret0";
    private static final String DIFFERENT_DEV = "netdevsim: program bound to different dev";

    @Test
    void scenario59to65_multiDevAsicReuseCrossDevAndDestruction() {
        Path pinB = pinPath("progB");
        NetdevsimDevice a = NetdevsimDevice.create(1);
        NetdevsimDevice b = NetdevsimDevice.create(3);
        try {
            OffloadDevice ethA = device(a.port(0));
            OffloadDevice[] ethB = {device(b.port(0)), device(b.port(1)), device(b.port(2))};
            try (LoadedObject objA = bound(SampleObjects.XDP_MAPS_RET0, ethA);
                 LoadedObject objB = bound(SampleObjects.XDP_MAPS_RET0, ethB[0])) {
                Program progA = objA.program(PROG);
                Program progB = objB.program(PROG);
                progB.pin(pinB);

                // 59 multi-dev ASIC program reuse
                progA.attachXdp(ethA, XdpMode.HW);
                for (int i = 0; i < 3; i++) {
                    progB.attachXdp(ethB[i], XdpMode.HW);
                    assertEquals(progB.id(), b.port(i).offloadedProgramId());
                }
                assertEquals(progA.id(), a.port(0).offloadedProgramId());

                // 60 cross-dev replace
                rejected(() -> progB.attachXdp(ethA, XdpMode.HW, XdpPolicy.REPLACE));
                for (OffloadDevice port : ethB) {
                    rejected(() -> progA.attachXdp(port, XdpMode.HW, XdpPolicy.REPLACE));
                }
                assertEquals(progA.id(), a.port(0).offloadedProgramId(), "nothing replaced");

                // 61 cross-dev install
                Xdp.detach(ethA, XdpMode.HW);
                for (OffloadDevice port : ethB) {
                    Xdp.detach(port, XdpMode.HW);
                }
                rejected(() -> progB.attachXdp(ethA, XdpMode.HW));
                for (OffloadDevice port : ethB) {
                    rejected(() -> progA.attachXdp(port, XdpMode.HW));
                }

                // 63 cross-dev destruction
                int idA = progA.id();
                int idB = progB.id();
                a.close();
                assertThrows(DeviceGoneException.class, progA::info);
                assertFalse(programListed(idA), "orphaned programs are not listed (6.1.192 drift handled, §4.9)");
                assertTrue(programListed(idB));
                assertEquals(b.port(0).name(), progB.info().ifname().orElseThrow());
                String b1 = b.port(0).name();
                b.removePort(0);
                assertTrue(Await.until(() -> !Files.exists(Path.of("/sys/class/net", b1))));
                assertTrue(programListed(idB), "the binding moved to another port of B");

                // 64 cross-dev destruction - move
                NetdevsimPort b2 = b.port(1);
                NetdevsimPort b3 = b.port(2);
                String now = progB.info().ifname().orElseThrow();
                assertTrue(now.equals(b2.name()) || now.equals(b3.name()), now);
                b.removePort(1);
                assertTrue(Await.until(() -> !Files.exists(Path.of("/sys/class/net", b2.name()))));
                assertEquals(b3.name(), progB.info().ifname().orElseThrow());
                b.close();
                assertFalse(programListed(idB));

                // 65 cross-dev destruction - orphaned
                DeviceGoneException gone = assertThrows(DeviceGoneException.class, () -> Program.openPinned(pinB).info());
                assertEquals("ENODEV", gone.errnoName());
            }
        } finally {
            a.close();
            b.close();
            unpin(pinB);
        }
    }

    private static void rejected(Runnable attach) {
        AttachRejectedException e = assertThrows(AttachRejectedException.class, attach::run);
        assertEquals(DIFFERENT_DEV, e.extack().orElseThrow());
        assertEquals("EINVAL", e.errnoName());
    }
}
