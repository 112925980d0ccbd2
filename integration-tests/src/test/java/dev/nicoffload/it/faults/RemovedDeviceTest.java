package dev.nicoffload.it.faults;

import dev.nicoffload.NicOffload;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A device removed after it was resolved: the kernel answers EINVAL for its ifindex (as for a
 * device that cannot offload), and nicoffload says the device is gone instead of "cannot offload".
 */
@ExtendWith(NetdevsimCleanup.class)
class RemovedDeviceTest {

    @Test
    void loadingAndCreatingMapsOnARemovedDeviceIsDeviceGone() {
        NetdevsimDevice dev = NetdevsimDevice.create(1);
        OffloadDevice eth = NicOffload.device(dev.port(0).name());
        dev.close();

        DeviceGoneException load = assertThrows(DeviceGoneException.class,
                () -> NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth)).close());
        assertEquals("EINVAL", load.errnoName());
        assertTrue(load.getMessage().contains(" bound to " + eth.name() + " (" + eth.name() + " no longer exists) failed: EINVAL"),
                load.getMessage());

        DeviceGoneException withMaps = assertThrows(DeviceGoneException.class,
                () -> NicOffload.load(SampleObjects.XDP_MAPS_RET0.bytes(), LoadOptions.offloadTo(eth)).close());
        assertTrue(withMaps.getMessage().startsWith("create map 'htab' on " + eth.name() + " (" + eth.name() + " no longer exists)"),
                withMaps.getMessage());

        DeviceGoneException map = assertThrows(DeviceGoneException.class,
                () -> BpfMap.create("m", MapType.ARRAY, 4, 8, 2, 0, eth).close());
        assertTrue(map.getMessage().contains("(" + eth.name() + " no longer exists)"), map.getMessage());
        assertThrows(DeviceGoneException.class,
                () -> OffloadMap.create(eth, MapType.HASH, "m", Codecs.u32(), Codecs.u64(), 2).close());

        DeviceGoneException probe = assertThrows(DeviceGoneException.class, eth::canOffload);
        assertEquals("EINVAL", probe.errnoName());
    }
}
