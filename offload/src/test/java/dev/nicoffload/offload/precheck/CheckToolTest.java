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

    /** A corpus object libbpf 1.1 refuses at open (checked by hand: bpf_object__open_mem fails with the errno named). */
    private int runOpen(String name) {
        return run("check", TestObjects.dir().resolve("open").resolve(name + ".o").toString());
    }

    @Test
    void mapDefinitionsLibbpfRefusesAtOpenAreFindingsWithExitOne() {
        assertEquals(1, runOpen("open_static_map"));
        assertEquals(1, runOpen("open_unknown_field"));
        assertEquals(1, runOpen("open_conflicting_size"));
        assertEquals("open: libbpf cannot open the object: map 'hidden': unsupported map linkage static (libbpf refuses it at open) (EOPNOTSUPP)\n"
                + "open: libbpf cannot open the object: map 'counts': unknown field 'max_entrys' (libbpf refuses it at open) (EOPNOTSUPP)\n"
                + "open: libbpf cannot open the object: map 'flows': conflicting key size 8 != 4 (libbpf refuses it at open) (EINVAL)\n", out());
    }

    @Test
    void corruptBtfIsAFindingWithExitOne(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws java.io.IOException {
        byte[] elf = java.nio.file.Files.readAllBytes(TestObjects.object("nfpsim_xdp_map"));
        int at = btfHeader(elf);
        elf[at] = 0x00; // .BTF magic 0xeb9f -> 0xeb00: libbpf cannot load the BTF its .maps need
        java.nio.file.Path broken = dir.resolve("broken_btf.o");
        java.nio.file.Files.write(broken, elf);
        assertEquals(1, run("check", broken.toString()));
        assertEquals("open: libbpf cannot open the object: .BTF has bad magic 0xeb00 (EINVAL)\n", out());
        // not a BPF object at all: an input error, not a finding
        java.nio.file.Path text = dir.resolve("text.o");
        java.nio.file.Files.writeString(text, "not an object");
        assertEquals(2, run("check", text.toString()));
    }

    /** The offset of the .BTF header (magic 0xeb9f, version 1, flags 0, hdr_len 24), not .BTF.ext's (hdr_len 32). */
    private static int btfHeader(byte[] b) {
        for (int i = 0; i + 8 <= b.length; i++) {
            if ((b[i] & 0xff) == 0x9f && (b[i + 1] & 0xff) == 0xeb && b[i + 2] == 1 && b[i + 3] == 0 && b[i + 4] == 24 && b[i + 5] == 0) return i;
        }
        throw new AssertionError("no .BTF header");
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
