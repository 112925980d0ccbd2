package dev.nicoffload.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.error.WriteAllFailedException;
import dev.nicoffload.offload.info.MapType;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code dev.nicoffload.MapBatch} JFR event of {@link OffloadMap#writeAll} on a host HASH map (root, bpf()). */
class MapBatchEventTest {

    @TempDir
    Path tmp;

    @Test
    void writeAllIsOneEventWithEntriesOutcomeAndErrno() throws Exception {
        List<RecordedEvent> events;
        int mapId;
        try (OffloadMap<Integer, Long> m = OffloadMap.createOnHost(MapType.HASH, "batch", Codecs.u32(), Codecs.u64(), 2);
             Recording r = new Recording()) {
            mapId = m.handle().id();
            r.enable("dev.nicoffload.MapBatch").withoutThreshold();
            r.start();
            m.writeAll(Map.of(1, 10L, 2, 20L));
            LinkedHashMap<Integer, Long> tooMany = new LinkedHashMap<>();
            tooMany.put(3, 30L);   // a third key in a 2-entry map: E2BIG, rolled back
            assertThrows(WriteAllFailedException.class, () -> m.writeAll(tooMany));
            r.stop();
            Path file = tmp.resolve("batch.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file);
        }
        assertEquals(2, events.size(), events.toString());
        RecordedEvent ok = events.get(0);
        assertEquals("dev.nicoffload.MapBatch", ok.getEventType().getName());
        assertEquals("batch", ok.getString("map"));
        assertEquals(mapId, ok.getInt("mapId"));
        assertEquals("writeAll", ok.getString("operation"));
        assertEquals(2, ok.getInt("entries"));
        assertEquals("", ok.getString("device"));
        assertEquals("ok", ok.getString("outcome"));
        assertEquals(0, ok.getInt("errno"));
        assertTrue(ok.getDuration().toNanos() > 0);

        RecordedEvent failed = events.get(1);
        assertEquals(1, failed.getInt("entries"));
        assertEquals("WriteAllFailedException", failed.getString("outcome"));
        assertEquals(7, failed.getInt("errno"), "E2BIG");
        assertTrue(failed.getString("message").contains("key 3"), failed.getString("message"));
    }
}
