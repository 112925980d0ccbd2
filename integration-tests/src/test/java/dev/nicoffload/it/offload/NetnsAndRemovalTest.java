package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.info.Inventory;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The binding follows the netdev across netns moves and port removal; removing the device orphans programs. */
@ExtendWith(NetdevsimCleanup.class)
class NetnsAndRemovalTest {

    private static long ownNetnsIno() throws Exception {
        return ((Number) Files.getAttribute(Path.of("/proc/self/ns/net"), "unix:ino")).longValue();
    }

    @Test
    void movingTheNetdevToAnotherNetnsAndBackKeepsTheBindingAndInfoFollows() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            String name = dev.port(0).name();
            OffloadDevice eth = OffloadDevice.byName(name);
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth))) {
                Program p = obj.program("xdp_maps_ret0");
                ProgramInfo home = p.info();
                assertEquals(ownNetnsIno(), home.netnsIno());
                assertEquals(name, home.ifname().orElseThrow());

                Cmd.run("ip", "netns", "add", "nicoffload-it");
                try {
                    Cmd.run("ip", "link", "set", "dev", name, "netns", "nicoffload-it");
                    ProgramInfo away = p.info();
                    assertTrue(away.deviceBound(), "still bound");
                    assertNotEquals(home.netnsIno(), away.netnsIno());
                    assertTrue(away.ifname().isEmpty(), "not in the caller's netns: no name");
                    MapInfo mapAway = obj.map("htab").info();
                    assertEquals(away.netnsIno(), mapAway.netnsIno());
                    assertEquals(away.ifindex(), mapAway.ifindex());
                    assertTrue(mapAway.ifname().isEmpty());
                    assertThrows(DeviceGoneException.class, () -> OffloadDevice.byName(name));

                    Cmd.run("ip", "-n", "nicoffload-it", "link", "set", "dev", name, "netns", "1");
                    ProgramInfo back = p.info();
                    assertEquals(home.netnsIno(), back.netnsIno());
                    assertEquals(home.netnsDev(), back.netnsDev());
                    assertEquals(name, back.ifname().orElseThrow());
                    assertEquals(name, obj.map("array").info().ifname().orElseThrow());
                } finally {
                    Cmd.run("ip", "netns", "del", "nicoffload-it");
                }
            }
        }
    }

    @Test
    void removingTheBoundPortMovesTheBindingToAnotherPort() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(2)) {
            String first = dev.port(0).name();
            String second = dev.port(1).name();
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(),
                    LoadOptions.offloadTo(OffloadDevice.byName(first)))) {
                Program p = obj.program("xdp_pass");
                assertEquals(first, p.info().ifname().orElseThrow());
                dev.removePort(0);
                assertTrue(Await.until(() -> !Files.exists(Path.of("/sys/class/net", first))));
                assertEquals(second, p.info().ifname().orElseThrow());
            }
        }
    }

    @Test
    void removingTheDeviceOrphansTheProgramAndDestroysItsMaps() {
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        OffloadDevice eth = OffloadDevice.byName(dev.port(0).name());
        try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth))) {
            Program p = obj.program("xdp_maps_ret0");
            int id = p.id();
            int mapId = obj.map("htab").id();
            assertTrue(Inventory.programs().stream().anyMatch(i -> i.id() == id));
            dev.close();

            DeviceGoneException gone = assertThrows(DeviceGoneException.class, p::info);
            assertEquals("ENODEV", gone.errnoName());
            assertEquals(19, gone.errno());
            assertFalse(Inventory.programs().stream().anyMatch(i -> i.id() == id), "orphans are excluded by default");
            ProgramInfo orphan = Inventory.programs(true).stream().filter(i -> i.id() == id).findFirst().orElseThrow();
            assertTrue(orphan.orphaned());
            assertFalse(NicOffload.maps().stream().anyMatch(m -> m.id() == mapId), "offloaded maps die with the device");
            assertThrows(DeviceGoneException.class, () -> obj.map("htab").info());
        }
    }
}
