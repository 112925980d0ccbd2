package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.TestObjects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The results the real NFP driver gave on nfpsim for the test kernel's own programs, as recorded in
 * testkernel/nfpsim/README.md and guest-init.sh (which profile knob went with which program). The
 * programs are compiled from testkernel/nfpsim/test by the test build, exactly as its build.sh does.
 */
class NfpsimReadmeOracleTest {
    private static Path dir;

    @BeforeAll
    static void locate() {
        dir = TestObjects.dir().resolve("nfpsim-readme");
        Assumptions.assumeTrue(Files.isDirectory(dir),
                "the shared test kernel tree (../shared/testkernel/nfpsim/test) is not beside this checkout, so its programs were not built");
    }

    private static CheckReport check(String name, UnaryOperator<FirmwareCapabilities.Builder> profile) {
        ObjectSpec spec = ObjectSpec.read(dir.resolve(name + ".o"));
        FirmwareCapabilities caps = profile.apply(FirmwareCapabilities.nfpsim().toBuilder()).build();
        return new NfpPreChecker(caps).check(spec, spec.programs().getFirst());
    }

    private static void assertRefused(String name, UnaryOperator<FirmwareCapabilities.Builder> profile, Errno errno, String line) {
        CheckReport r = check(name, profile);
        assertEquals(List.of(line), r.verifierLogLines(), name);
        assertEquals(Verdict.NOT_OFFLOADABLE, r.verdict());
        assertEquals(errno, r.errors().getFirst().errno());
    }

    @Test
    void refusalsPrintTheKernelsLines() {
        assertRefused("xdp_ktime", b -> b, Errno.EOPNOTSUPP, "[nfp] unsupported function id: 5");
        assertRefused("tc_ok", b -> b, Errno.EINVAL, "[nfp] unsupported exit state: 1, imm: 0");
        assertRefused("xdp_conflict", b -> b, Errno.EOPNOTSUPP, "[nfp] map value use type conflict read vs atomic off: 0");
        assertRefused("xdp_mod", b -> b, Errno.EINVAL, "[nfp] divisor is not constant");
        assertRefused("xdp_div", b -> b, Errno.EINVAL, "[nfp] multiplier is not within u32 value range");
    }

    @Test
    void profileKnobsGiveTheDriversNotSupportedPaths() {
        assertRefused("xdp_map", b -> b.stackSizeUnits(0), Errno.EOPNOTSUPP, "[nfp] stack too large: program 64B > FW stack 0B");
        assertRefused("xdp_map", b -> b.helperMapLookup(0), Errno.EOPNOTSUPP, "[nfp] map_lookup: not supported by FW");
        assertRefused("xdp_adjust", b -> b.adjustHead(1, 8, 0, 64, 46), Errno.EOPNOTSUPP, "[nfp] adjust_head not supported by FW");
        assertRefused("xdp_perf", b -> b.helperPerfEventOutput(0), Errno.EOPNOTSUPP, "[nfp] event_output: not supported by FW");
    }

    @Test
    void maxLength20FailsWithoutAnyLogLine() {
        CheckReport r = check("xdp_pkt", b -> b.maxProgramLength(20));
        assertEquals(List.of(), r.verifierLogLines());
        assertEquals(Verdict.NOT_OFFLOADABLE, r.verdict());
        Finding f = r.errors().getFirst();
        assertEquals(Rule.PROGRAM_LENGTH, f.rule());
        assertEquals(Errno.EINVAL, f.errno());
        assertTrue(f.message().contains("instruction limit reached (20 NFP instructions)"), f.message());
    }

    @Test
    void acceptedProgramsEstimateTheMeasuredImageSize() {
        // jited_prog_len / 8 as measured on nfpsim (README: 208, 432, 400, 408, 480, 344, 560, 320 bytes)
        Object[][] measured = {{"xdp_pass", 26}, {"xdp_pkt", 54}, {"xdp_map", 50}, {"xdp_div32", 51}, {"xdp_adjust", 60},
                {"xdp_perf", 43}, {"xdp_call", 70}, {"tc_shot", 40}};
        for (Object[] m : measured) {
            CheckReport r = check((String) m[0], b -> b);
            assertTrue(r.offloadable(), m[0] + ": " + r.findings());
            int n = (int) m[1];
            assertTrue(r.size().minimum() <= n && n <= r.size().maximum(), m[0] + ": measured " + n + " not in " + r.size());
        }
        assertEquals(new SizeEstimate(26, 26, 23, 4096), check("xdp_pass", b -> b).size());
    }

    @Test
    void perfOutputAcceptedWithTheLogLevel2Warning() {
        CheckReport r = check("xdp_perf", b -> b);
        assertEquals(List.of("[nfp] warning: return codes and behavior of event_output helper differ for offload!"), r.verifierLogLines());
        assertTrue(r.offloadable());
    }
}
