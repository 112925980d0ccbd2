package dev.nicoffload.it.scenarios;

import dev.nicoffload.it.offload.Await;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.error.OffloadException;
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
     * Scenario 43: device removal waits for a load held in the verifier by bpf_bind_verifier_delay;
     * the load then fails with a typed error (ENODEV or EINVAL, netdevsim test plan §11) or, when
     * verification won the race, gives a program the removal orphaned (info: ENODEV).
     */
    @Test
    void scenario43_netdevRemovalWaitsForTranslation() throws Exception {
        // 500 ms in test_offload.py; 2 s leaves the slow TCG guest time to see the load reach the device
        int delayMs = Integer.getInteger("nicoffload.scenarios.verifierDelayMs", 2000);
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        try {
            OffloadDevice eth = device(dev.port(0));
            dev.set(DeviceKnob.BPF_BIND_VERIFIER_DELAY, delayMs);
            long loadStart = System.nanoTime();
            CompletableFuture<LoadedObject> load = CompletableFuture.supplyAsync(() -> bound(SampleObjects.XDP_PASS, eth));
            assertTrue(Await.until(() -> !dev.boundPrograms().isEmpty() || load.isDone()), "the load reaches the device");
            if (load.isDone()) {
                // TCG was slower than the delay: the load finished; still a clean state
                load.get().close();
                return;
            }
            dev.close();
            long sinceLoadMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart);
            assertTrue(sinceLoadMs >= delayMs, "the removal returned " + sinceLoadMs + " ms after the load began: it did not wait for the verifier");
            // the load either fails (ENODEV or EINVAL), or, when the verifier finished before the removal
            // took the lock, returns a program the removal then orphaned: both are clean, typed states
            try {
                LoadedObject loaded = load.get(60, TimeUnit.SECONDS);
                try (loaded) {
                    DeviceGoneException orphan = assertThrows(DeviceGoneException.class, () -> loaded.program("xdp_pass").info());
                    assertEquals("ENODEV", orphan.errnoName());
                }
            } catch (ExecutionException failed) {
                OffloadException e = assertInstanceOf(OffloadException.class, failed.getCause());
                assertTrue(e.errnoName().equals("ENODEV") || e.errnoName().equals("EINVAL"), e.getMessage());
            }
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
