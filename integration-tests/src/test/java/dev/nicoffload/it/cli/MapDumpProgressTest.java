package dev.nicoffload.it.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.info.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code nicoffload map dump} of a big (host) HASH map: progress goes to stderr when asked for,
 * stdout holds every entry and nothing else.
 */
class MapDumpProgressTest {
    private static final int ENTRIES = 25_000;
    private static final Pattern TEXT_ENTRY = Pattern.compile("key: ([0-9a-f ]+)  value: ([0-9a-f ]+)");
    private static final Pattern JSON_ENTRY = Pattern.compile("\\{\"key\":\"([0-9a-f ]+)\",\"value\":\"([0-9a-f ]+)\"}");
    private static OffloadMap<Integer, Long> big;

    @BeforeAll
    static void createABigHostMap() {
        big = OffloadMap.createOnHost(MapType.HASH, "bigdump", Codecs.u32(), Codecs.u64(), ENTRIES);
        for (int k = 0; k < ENTRIES; k++) {
            big.put(k, value(k));
        }
    }

    @AfterAll
    static void closeIt() {
        big.close();
    }

    private static long value(int key) {
        return key * 1_000_003L;
    }

    private static String id() {
        return Integer.toString(big.info().id());
    }

    /** Every entry found by {@code entry} in {@code out}, decoded (host byte order, as the map holds them). */
    private static Map<Integer, Long> entries(Pattern entry, String out) {
        Map<Integer, Long> found = new HashMap<>();
        Matcher m = entry.matcher(out);
        while (m.find()) {
            ByteBuffer k = ByteBuffer.wrap(HexFormat.ofDelimiter(" ").parseHex(m.group(1))).order(ByteOrder.nativeOrder());
            ByteBuffer v = ByteBuffer.wrap(HexFormat.ofDelimiter(" ").parseHex(m.group(2))).order(ByteOrder.nativeOrder());
            assertEquals(null, found.put(k.getInt(), v.getLong()), "each key once");
        }
        return found;
    }

    private static void assertEveryEntry(Map<Integer, Long> found) {
        assertEquals(ENTRIES, found.size());
        for (int k = 0; k < ENTRIES; k++) {
            assertEquals(value(k), found.get(k), "key " + k);
        }
    }

    @Test
    void forcedProgressPrintsALineEveryTenThousandEntriesOnStderrOnly() {
        CliRun dump = CliRun.of("map", "dump", id(), "--progress");
        assertEquals(0, dump.status(), dump.err());
        assertEquals(List.of("map dump: 10000 entries", "map dump: 20000 entries", "map dump: 25000 entries, done"),
                dump.err().lines().toList());
        List<String> lines = dump.out().lines().toList();
        assertEquals(ENTRIES + 1, lines.size(), "one line per entry and the total");
        assertEquals("Found 25000 elements", lines.getLast());
        assertTrue(lines.subList(0, ENTRIES).stream().allMatch(l -> TEXT_ENTRY.matcher(l).matches()), "nothing but entries on stdout");
        assertEveryEntry(entries(TEXT_ENTRY, dump.out()));
    }

    @Test
    void jsonDumpWithProgressStaysOneJsonDocument() {
        CliRun dump = CliRun.of("map", "dump", id(), "--json", "--progress");
        assertEquals(0, dump.status(), dump.err());
        assertEquals(3, dump.err().lines().count(), dump.err());
        assertTrue(dump.out().startsWith("[{\"key\":") && dump.out().endsWith("}]\n"), "a JSON array and a newline");
        assertEquals(ENTRIES, dump.out().split("\\},\\{").length, "entries separated by commas");
        assertEveryEntry(entries(JSON_ENTRY, dump.out()));
    }

    @Test
    void withoutATerminalOrWithNoProgressStderrStaysEmpty() {
        for (String[] args : List.of(new String[] {"map", "dump", id()}, new String[] {"map", "dump", id(), "--no-progress"})) {
            CliRun dump = CliRun.of(args);
            assertEquals(0, dump.status(), dump.err());
            assertEquals("", dump.err(), "captured output is not a terminal: no progress unless --progress");
            assertTrue(dump.out().endsWith("Found 25000 elements\n"));
        }
    }

    @Test
    void limitStopsTheDumpAndTheProgressWithIt() {
        CliRun dump = CliRun.of("map", "dump", id(), "--limit", "12345", "--progress");
        assertEquals(0, dump.status(), dump.err());
        assertEquals(List.of("map dump: 10000 entries", "map dump: 12345 entries, done"), dump.err().lines().toList());
        assertTrue(dump.out().endsWith("\nFound 12345 elements\n"));
        assertEquals(12345, entries(TEXT_ENTRY, dump.out()).size());
    }
}
