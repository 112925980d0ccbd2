package dev.nicoffload;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.DeviceGoneException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.spec.ObjectFormatException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade on the host: devices, listings, argument checking of the load overloads. */
class NicOffloadTest {

    @Test
    void devicesResolveByNameAndIndex() {
        OffloadDevice lo = NicOffload.device("lo");
        assertEquals(lo, NicOffload.device(lo.ifindex()));
        assertFalse(lo.canOffload());
        assertThrows(DeviceGoneException.class, () -> NicOffload.device("nosuchnic0"));
    }

    @Test
    void listingsComeFromTheKernel() {
        assertTrue(NicOffload.programs().stream().allMatch(p -> p.id() > 0 && !p.orphaned()));
        assertTrue(NicOffload.maps().stream().allMatch(m -> m.id() > 0));
    }

    @Test
    void everyLoadOverloadChecksItsArguments() {
        assertThrows(ObjectFormatException.class,
                () -> NicOffload.load(new ByteArrayInputStream(new byte[10]), LoadOptions.host()));
        assertThrows(ObjectFormatException.class, () -> NicOffload.load(new byte[200], LoadOptions.host()));
        assertThrows(ObjectFormatException.class, () -> NicOffload.load(Path.of("/nonexistent/x.o"), LoadOptions.host()));
        assertThrows(NullPointerException.class, () -> NicOffload.load(Path.of("/x.o"), null));
    }

    @Test
    void aDeviceFileIsRefusedNotReadWithoutEnd() {
        // before: read /dev/zero until OutOfMemoryError (39 s)
        ObjectFormatException e = assertThrows(ObjectFormatException.class, () -> NicOffload.load(Path.of("/dev/zero"), LoadOptions.host()));
        assertEquals("/dev/zero: not a regular file (a device, FIFO or socket); only regular files are read", e.getMessage());
    }
}
