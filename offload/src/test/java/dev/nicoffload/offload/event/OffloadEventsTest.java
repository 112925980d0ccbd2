package dev.nicoffload.offload.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.AttachRejectedException;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.testsupport.BpfC;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpMode;
import java.nio.file.Path;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JFR events of host operations against the host kernel (root, bpf()): a recording around a
 * host load, a verifier rejection, a refused HW attach on loopback and a no-op detach.
 */
class OffloadEventsTest {

    @TempDir
    Path tmp;

    /** Runs {@code body} inside a recording of the nicoffload events and returns what it recorded. */
    List<RecordedEvent> record(Runnable body) throws Exception {
        try (Recording r = new Recording()) {
            for (String e : List.of("dev.nicoffload.Load", "dev.nicoffload.Attach", "dev.nicoffload.Detach")) {
                r.enable(e).withoutThreshold();
            }
            r.start();
            body.run();
            r.stop();
            Path file = tmp.resolve("events.jfr");
            r.dump(file);
            return RecordingFile.readAllEvents(file);
        }
    }

    static List<RecordedEvent> named(List<RecordedEvent> events, String name) {
        return events.stream().filter(e -> e.getEventType().getName().equals(name)).toList();
    }

    @Test
    void hostLoadIsOneLoadEventWithItsShapeAndOutcome() throws Exception {
        byte[] maps = BpfC.compile("xdp_maps", BpfC.XDP_MAPS);
        byte[] bad = BpfC.compile("xdp_bad", BpfC.XDP_BAD);
        List<RecordedEvent> events = record(() -> {
            try (LoadedObject obj = ObjectLoader.load(maps, LoadOptions.host().withObjectName("maps"))) {
                assertFalse(obj.programs().isEmpty());
            }
            assertThrows(VerifierRejectedException.class,
                    () -> ObjectLoader.load(bad, LoadOptions.host().withObjectName("bad")));
        });
        List<RecordedEvent> loads = named(events, "dev.nicoffload.Load");
        assertEquals(2, loads.size(), events.toString());

        RecordedEvent ok = loads.get(0);
        assertEquals("maps", ok.getString("object"));
        assertEquals("host", ok.getString("mode"));
        assertEquals("", ok.getString("device"));
        assertEquals("ok", ok.getString("outcome"));
        assertEquals(0, ok.getInt("errno"));
        assertEquals(1, ok.getInt("programs"));
        assertEquals(2, ok.getInt("maps"));
        assertTrue(ok.getDuration().toNanos() > 0, "the event spans the load");

        RecordedEvent rejected = loads.get(1);
        assertEquals("bad", rejected.getString("object"));
        assertEquals("VerifierRejectedException", rejected.getString("outcome"));
        assertEquals(13, rejected.getInt("errno"), "EACCES");
        assertTrue(rejected.getString("message").contains("load program 'xdp_bad'"), rejected.getString("message"));
        assertEquals(0, rejected.getInt("programs"));
        assertEquals("nicoffload", rejected.getEventType().getCategoryNames().get(0));
    }

    @Test
    void refusedAttachAndNoOpDetachOnLoopbackAreRecorded() throws Exception {
        OffloadDevice lo = OffloadDevice.byName("lo");
        byte[] pass = BpfC.compile("xdp_pass", BpfC.XDP_PASS);
        List<RecordedEvent> events = record(() -> {
            try (LoadedObject obj = ObjectLoader.load(pass, LoadOptions.host())) {
                assertThrows(AttachRejectedException.class, () -> obj.program("xdp_pass").attachXdp(lo, XdpMode.HW));
            }
            Xdp.detach(lo, XdpMode.HW);
        });
        List<RecordedEvent> attach = named(events, "dev.nicoffload.Attach");
        assertEquals(1, attach.size(), events.toString());
        RecordedEvent a = attach.get(0);
        assertEquals("xdp_pass", a.getString("program"));
        assertTrue(a.getInt("programId") > 0);
        assertEquals("lo", a.getString("device"));
        assertEquals("xdp", a.getString("hook"));
        assertEquals("HW", a.getString("mode"));
        assertEquals("AttachRejectedException", a.getString("outcome"));
        assertEquals(95, a.getInt("errno"), "EOPNOTSUPP");

        List<RecordedEvent> detach = named(events, "dev.nicoffload.Detach");
        assertEquals(1, detach.size(), events.toString());
        RecordedEvent d = detach.get(0);
        assertEquals("lo", d.getString("device"));
        assertEquals("HW", d.getString("mode"));
        assertEquals("ok", d.getString("outcome"));
        assertEquals(0, d.getInt("errno"));
    }
}
