package dev.nicoffload.it.scenarios;

import dev.nicoffload.it.offload.Await;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.tc.HwTcOffload;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcAttachment;
import dev.nicoffload.offload.tc.TcDirection;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.offload.xdp.XdpPolicy;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.DeviceKnob;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.nicoffload.it.scenarios.ScenarioSupport.bound;
import static dev.nicoffload.it.scenarios.ScenarioSupport.device;
import static dev.nicoffload.it.scenarios.ScenarioSupport.mapListed;
import static dev.nicoffload.it.scenarios.ScenarioSupport.pinPath;
import static dev.nicoffload.it.scenarios.ScenarioSupport.programListed;
import static dev.nicoffload.it.scenarios.ScenarioSupport.unpin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * test_offload.py's pinned-program, translation-race and map-lifetime scenarios (offload-facts
 * §4.4-4.6) not covered elsewhere, through nicoffload's API.
 */
@ExtendWith(NetdevsimCleanup.class)
class PinMapRaceScenariosTest {

    @Test
    void scenario39_bindingTcFromPinned() {
        Path pin = pinPath("tc");
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            HwTcOffload.set(eth, true);
            int id;
            try (LoadedObject obj = bound(SampleObjects.TC_DROP, eth)) {
                id = obj.program("tc_drop").id();
                try (TcAttachment tc = obj.program("tc_drop").attachTc(eth, TcOptions.offloaded())) {
                    obj.program("tc_drop").pin(pin);
                }
            }
            assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS), "filters flushed");
            assertEquals(1, dev.boundPrograms().size(), "the pin keeps the bound program");
            assertTrue(programListed(id));
            try (Program pinned = Program.openPinned(pin);
                 TcAttachment again = pinned.attachTc(eth, TcOptions.offloaded())) {
                assertEquals(id, again.filter().programId());
                assertTrue(again.filter().inHw());
                assertEquals(id, dev.port(0).offloadedProgramId());
            }
            assertEquals(List.of(), Tc.filters(eth, TcDirection.INGRESS));
        } finally {
            unpin(pin);
        }
    }

    @Test
    void scenario40_bindingXdpFromPinned() {
        Path pin = pinPath("xdp");
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            try (LoadedObject first = bound(SampleObjects.XDP_PASS, eth); LoadedObject second = bound(SampleObjects.XDP_PASS, eth)) {
                first.program("xdp_pass").attachXdp(eth, XdpMode.HW);
                second.program("xdp_pass").pin(pin);
            }
            try (Program pinned = Program.openPinned(pin)) {
                for (int round = 0; round < 2; round++) {
                    XdpAttachment hw = pinned.attachXdp(eth, XdpMode.HW, XdpPolicy.REPLACE);
                    assertEquals(pinned.id(), dev.port(0).offloadedProgramId());
                    Xdp.detach(eth, XdpMode.HW);
                    assertFalse(hw.isAttached());
                    assertEquals(0, dev.port(0).offloadedProgramId());
                }
            }
        } finally {
            unpin(pin);
        }
    }

    /**
     * Scenario 43: {@code tc filter add ... da skip_sw} (load bound, then attach) runs while the
     * device is removed; netdevsim's {@code bpf_bind_verifier_delay} holds the load in the
     * verifier (sleeping at instruction 0 with the offload lock held), so the removal always
     * comes during the load and must wait for the delay. The kernel's outcome: the load, or else
     * the attach to the device that is gone by then, fails, as the script's {@code tc} must; the
     * error is the device-gone type, and no program (orphans included) is left.
     */
    @Test
    void scenario43_netdevRemovalWaitsForTranslation() throws Exception {
        // 500 ms in test_offload.py; longer here so that the slow TCG guest surely sees the load held in the verifier
        int delayMs = Integer.getInteger("nicoffload.scenarios.verifierDelayMs", 3000);
        int programsBefore = Inventory.programs(true).size();
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        try {
            OffloadDevice eth = device(dev.port(0));
            HwTcOffload.set(eth, true);
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_DELAY, delayMs);
            long loadStart = System.nanoTime();
            CompletableFuture<Void> tcFilterAdd = CompletableFuture.runAsync(() -> {
                try (LoadedObject obj = bound(SampleObjects.TC_DROP, eth)) {
                    obj.program("tc_drop").attachTc(eth, TcOptions.offloaded()).close();
                }
            });
            assertTrue(Await.until(() -> !dev.boundPrograms().isEmpty()), "the load reaches the device's verifier hook");
            assertFalse(tcFilterAdd.isDone(), "the load is held in the verifier by the delay when the device is removed");
            dev.close();
            long sinceLoadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart);
            assertTrue(sinceLoadMs >= delayMs, "the removal returned " + sinceLoadMs + " ms after the load began: it did not wait for the verifier");
            ExecutionException failed = assertThrows(ExecutionException.class, () -> tcFilterAdd.get(120, TimeUnit.SECONDS),
                    "tc filter add ... skip_sw must fail when the device goes during the load");
            DeviceGoneException gone = assertInstanceOf(DeviceGoneException.class, failed.getCause(), () -> String.valueOf(failed.getCause()));
            assertTrue(gone.errnoName().equals("ENODEV") || gone.errnoName().equals("EINVAL"), gone.getMessage());
            assertTrue(Await.until(() -> Inventory.programs(true).size() == programsBefore),
                    "no program left behind, orphans included: " + Inventory.programs(true));
        } finally {
            dev.close();
        }
    }

    @Test
    void scenario57_mapRemove() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            List<Integer> mapIds;
            try (LoadedObject obj = bound(SampleObjects.XDP_MAPS_RET0, eth);
                 XdpAttachment hw = obj.program("xdp_maps_ret0").attachXdp(eth, XdpMode.HW)) {
                mapIds = List.of(obj.map("htab").id(), obj.map("array").id());
                assertTrue(mapIds.stream().allMatch(ScenarioSupport::mapListed));
            }
            assertTrue(Await.until(() -> mapIds.stream().noneMatch(ScenarioSupport::mapListed)), "unset and closed: no maps");
        }
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = device(dev.port(0));
            LoadedObject obj = bound(SampleObjects.XDP_MAPS_RET0, eth);
            try {
                obj.program("xdp_maps_ret0").attachXdp(eth, XdpMode.HW);
                List<Integer> mapIds = List.of(obj.map("htab").id(), obj.map("array").id());
                dev.close();
                assertTrue(mapIds.stream().noneMatch(ScenarioSupport::mapListed), "device removal destroys its maps at once");
            } finally {
                obj.close();
            }
        }
    }
}
