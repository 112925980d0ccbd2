package dev.nicoffload.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.jit.tool.NfpDisasmTool;
import dev.nicoffload.offload.precheck.CheckTool;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import picocli.CommandLine;

/**
 * Fuzz target for the command line: picocli's parse of every subcommand's options (nothing is
 * executed, so no kernel object is touched), the hand-written parsers of {@code check} and
 * {@code nfp-disasm} run to the end (files are only read; {@code --cfg}, which writes, is parsed
 * but not run), and the hex parser of {@code map --key/--value}. Declared failures: picocli's
 * {@link CommandLine.ParameterException} and {@link IllegalArgumentException} from the hex parser;
 * the tools must exit 0, 1 or 2, with messages free of control characters and no internal error.
 */
class CommandLineFuzzTest {
    private static final LongAdder RUNS = new LongAdder();
    private static final java.util.regex.Pattern INTERNAL_ERROR =
            java.util.regex.Pattern.compile("^([\\w-]+: )?internal error: [a-z][\\w$]*(\\.[\\w$]+)*\\.[A-Z][\\w$]*(Exception|Error)\\b");

    /** Words the fuzzer starts from, so that it reaches the subcommands and their options. */
    private static final String[] WORDS = {"devices", "load", "attach", "detach", "prog", "map", "check", "nfp-disasm", "vm", "demo",
            "list", "show", "dump", "lookup", "update", "delete", "xdp", "tc", "--key", "--value", "--dev", "--pin", "--mode",
            "--json", "--limit", "--program", "--profile", "--mtu", "--words", "--raw", "--cfg", "--pc", "--ctx4", "--ctx8",
            "--3rdparty32", "--host", "--no-precheck", "--skip-sw", "--skip-hw", "--replace", "--orphaned", "--jit", "--timeout",
            "--memory", "--", "-h", "--help", "0x", "00", "-1", "nfpsim", "agilio-cx"};

    private static final CommandLine PARSER = new CommandLine(new Main());

    @AfterAll
    static void aFuzzingRunFuzzed() {
        assertTrue(RUNS.sum() >= Long.getLong("nicoffload.fuzz.minRuns", 0), RUNS.sum() + " runs: Jazzer skipped the target or did not fuzz");
    }

    private static void cleanMessage(int rc, ByteArrayOutputStream err) {
        String m = err.toString(StandardCharsets.UTF_8);
        assertTrue(rc == 0 || rc == 1 || rc == 2, "exit " + rc);
        // Main's line for an exception it did not expect: "[CMD: ]internal error: pkg.Type: ..." at a line's start
        // (echoed input is escaped and never starts a line, so fuzzed text that merely contains the words passes)
        assertFalse(m.lines().anyMatch(l -> INTERNAL_ERROR.matcher(l).find()), m);
        assertFalse(m.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0), m);
    }

    @FuzzTest(maxDuration = "30s")
    void commandLine(FuzzedDataProvider data) {
        RUNS.increment();
        String[] args = new String[data.consumeInt(0, 8)];
        for (int i = 0; i < args.length; i++) {
            args[i] = data.consumeBoolean() ? data.pickValue(WORDS) : data.consumeString(40);
        }
        byte[] stdin = data.consumeRemainingAsBytes();
        try {
            PARSER.parseArgs(args);
        } catch (CommandLine.ParameterException expected) {
            // declared: a usage error, which Main reports in one line with exit 2
        }
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : args;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        if (args.length > 0 && args[0].equals("check")) {
            cleanMessage(CheckTool.run(rest, new ByteArrayInputStream(stdin), o, e), err);
        } else if (args.length > 0 && args[0].equals("nfp-disasm") && !List.of(rest).contains("--cfg")) {
            cleanMessage(NfpDisasmTool.run(rest, new ByteArrayInputStream(stdin), o, e), err);
        }
        try {
            MapCommand.hex(List.of(args), "key");
        } catch (IllegalArgumentException expected) {
            // declared: not hex bytes
            assertFalse(expected.getMessage().chars().anyMatch(c -> c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0), expected.getMessage());
        }
    }
}
