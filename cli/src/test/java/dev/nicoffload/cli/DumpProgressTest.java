package dev.nicoffload.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.nicoffload.cli.DumpProgress.Style;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DumpProgressTest {
    private static String run(Style style, int entries, boolean complete) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        DumpProgress progress = new DumpProgress(new PrintStream(err, true, StandardCharsets.UTF_8), style);
        for (int i = 0; i < entries; i++) {
            progress.entry();
        }
        progress.finish(complete);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void byItselfOnlyWhenStderrIsATerminalAndStdoutIsNot() {
        assertEquals(Style.TERMINAL, DumpProgress.style(null, false, true), "dump redirected to a file, person at the terminal");
        assertEquals(Style.OFF, DumpProgress.style(null, true, true), "entries scroll by on the terminal already");
        assertEquals(Style.OFF, DumpProgress.style(null, false, false), "scripts and logs get no progress unasked");
        assertEquals(Style.OFF, DumpProgress.style(null, true, false));
    }

    @Test
    void progressForcesPlainLinesAndNoProgressSilences() {
        assertEquals(Style.LINES, DumpProgress.style(true, false, false));
        assertEquals(Style.LINES, DumpProgress.style(true, true, true));
        assertEquals(Style.TERMINAL, DumpProgress.style(true, false, true));
        assertEquals(Style.OFF, DumpProgress.style(false, false, true));
        assertEquals(Style.OFF, DumpProgress.style(false, false, false));
    }

    @Test
    void plainLinesEveryTenThousandEntriesThenTheTotal() {
        assertEquals("map dump: 10000 entries\nmap dump: 20000 entries\nmap dump: 25000 entries, done\n", run(Style.LINES, 25_000, true));
        assertEquals("map dump: 10000 entries\nmap dump: 10001 entries, stopped by an error\n", run(Style.LINES, 10_001, false));
    }

    @Test
    void theTerminalLineIsRewrittenInPlace() {
        assertEquals("\rmap dump: 1000 entries\rmap dump: 2000 entries\rmap dump: 2500 entries, done\n", run(Style.TERMINAL, 2_500, true));
    }

    @Test
    void smallDumpsAndOffPrintNothing() {
        assertEquals("", run(Style.LINES, 9_999, true));
        assertEquals("", run(Style.TERMINAL, 999, true));
        assertEquals("", run(Style.OFF, 50_000, true));
    }

    @Test
    void theOptionIsNegatableAndAbsentByDefault() {
        assertNull(parse("7").progress);
        assertEquals(Boolean.TRUE, parse("7", "--progress").progress);
        assertEquals(Boolean.FALSE, parse("7", "--no-progress").progress);
    }

    private static MapCommand.DumpCommand parse(String... args) {
        MapCommand.DumpCommand dump = new MapCommand.DumpCommand();
        new CommandLine(dump).parseArgs(args);
        return dump;
    }
}
