package dev.nicoffload.it.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** JFR events of an offload to netdevsim: load, HW attach and the detach that closing the attachment does. */
@ExtendWith(NetdevsimCleanup.class)
class AttachDetachEventsTest {

    @Test
    void offloadLoadHwAttachAndDetachAreRecorded() throws Exception {
        Path file = Files.createTempDirectory("jfr").resolve("offload.jfr");
        int id;
        String port;
        try (NetdevsimDevice sim = NetdevsimDevice.create(1); Recording r = new Recording()) {
            port = sim.port(0).name();
            OffloadDevice dev = NicOffload.device(port);
            for (String e : List.of("dev.nicoffload.Load", "dev.nicoffload.Attach", "dev.nicoffload.Detach")) {
                r.enable(e).withoutThreshold();
            }
            r.start();
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(dev))) {
                Program p = obj.program("xdp_pass");
                id = p.info().id();
                try (XdpAttachment hw = p.attachXdp(dev, XdpMode.HW)) {
                    assertTrue(hw.isAttached());
                }
            }
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertEquals(List.of("dev.nicoffload.Load", "dev.nicoffload.Attach", "dev.nicoffload.Detach"),
                events.stream().map(e -> e.getEventType().getName()).toList(), events.toString());

        RecordedEvent load = events.get(0);
        assertEquals("offload", load.getString("mode"));
        assertEquals(port, load.getString("device"));
        assertEquals("ok", load.getString("outcome"));

        for (RecordedEvent e : events.subList(1, 3)) {
            assertEquals("xdp_pass", e.getString("program"), e.toString());
            assertEquals(id, e.getInt("programId"));
            assertEquals(port, e.getString("device"));
            assertEquals("xdp", e.getString("hook"));
            assertEquals("HW", e.getString("mode"));
            assertEquals("ok", e.getString("outcome"));
            assertEquals(0, e.getInt("errno"));
            assertTrue(e.getDuration().toNanos() > 0);
        }
    }
}
