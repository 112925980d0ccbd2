package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.spec.TestObjects;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** The {@code check FILE.o [--program NAME]} command contract. */
class CheckToolTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int run(String... args) {
        return CheckTool.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void offloadableProgramExitsZeroSilently() {
        assertEquals(0, run("check", TestObjects.object("nfpsim_xdp_map").toString()));
        assertEquals("", out());
    }

    @Test
    void refusedProgramPrintsTheKernelLineAndExitsOne() {
        assertEquals(1, run("check", TestObjects.object("nfpsim_xdp_ktime").toString()));
        assertEquals("[nfp] unsupported function id: 5\n", out());
    }

    @Test
    void programOptionSelectsOneProgram() {
        assertEquals(1, run(TestObjects.object("nfpsim_tc_ok").toString(), "--program", "nfpsim_tc_ok"));
        assertEquals("[nfp] unsupported exit state: 1, imm: 0\n", out());
        assertEquals(2, run(TestObjects.object("nfpsim_tc_ok").toString(), "--program", "nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("no program named nope"));
    }

    @Test
    void profileChoiceChangesTheVerdict() {
        // adjust_tail: present on nfpsim, assumed absent on the Agilio CX profile (the default)
        assertEquals(0, run(TestObjects.object("nfpsim_xdp_adjust").toString(), "--profile", "nfpsim"));
        assertEquals(1, run(TestObjects.object("nfpsim_xdp_adjust").toString()));
        assertEquals("[nfp] adjust_tail not supported by FW\n", out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, run());
        assertEquals(2, run("check", "a.o", "b.o"));
        assertEquals(2, run("check", "--program"));
        assertEquals(2, run("check", "target/no-such-file.o"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: check FILE.o"));
    }
}
