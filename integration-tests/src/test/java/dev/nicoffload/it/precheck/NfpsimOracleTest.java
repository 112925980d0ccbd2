package dev.nicoffload.it.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.device.DeviceKind;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.Finding;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The oracle for the NFP pre-checker: every corpus program (offload/src/test/bpf, built by the
 * offload module's test build) is loaded bound to nfpsim0, where the NFP driver's own verifier hooks
 * and JIT run, and the kernel's verdict, errno and {@code [nfp]} lines are compared with the
 * checker's, for the default firmware profile and for profiles turned down through nfpsim's debugfs
 * (which the checker reads back with {@link FirmwareCapabilities#fromNfpsimDebugfs}). For accepted
 * programs the NFP JIT image length must lie within the checker's size estimate. Every program is
 * compared twice: built for clang's default CPU and with {@code -mcpu=v3} (32-bit subregisters).
 */
class NfpsimOracleTest {
    private static final Path DEBUGFS = FirmwareCapabilities.NFPSIM_DEBUGFS;
    private static Path corpus;
    private static OffloadDevice nfp;

    @BeforeAll
    static void setUp() {
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/class/net/nfpsim0")), "needs the nfpsim kernel (nfpsim0)");
        // the guest's working directory is not the project: start from where this class was loaded
        Path start;
        try {
            start = Path.of(NfpsimOracleTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path dir = start; dir != null && corpus == null; dir = dir.getParent()) {
            Path c = dir.resolve("offload/target/bpf-corpus");
            if (Files.isDirectory(c)) corpus = c;
        }
        Assumptions.assumeTrue(corpus != null, "the offload module's test build has not compiled the corpus (offload/target/bpf-corpus)");
        nfp = NicOffload.device("nfpsim0");
        assertEquals(DeviceKind.NFPSIM, nfp.kind());
    }

    /** What the kernel said about one load. */
    record KernelOutcome(boolean loaded, boolean refusedBeforeKernel, int errno, List<String> nfpErrorLines, int jitedInsns) {
    }

    private static KernelOutcome load(Path object, String program) {
        try (LoadedObject o = NicOffload.load(object, LoadOptions.offloadTo(nfp).withoutPreCheck())) {
            return new KernelOutcome(true, false, 0, List.of(), o.program(program).info().jitedLength() / 8);
        } catch (IllegalArgumentException e) {
            return new KernelOutcome(false, true, 0, List.of(), 0); // the loader's own plan refused it before any syscall
        } catch (OffloadException e) {
            List<String> lines = e.verifierLog().map(l -> Arrays.stream(l.split("\n"))
                    .filter(s -> s.startsWith("[nfp] ") && !s.startsWith("[nfp] warning:")).toList()).orElse(List.of());
            return new KernelOutcome(false, false, e.errno(), lines, 0);
        }
    }

    private static void compare(Path object, FirmwareCapabilities caps) {
        ObjectSpec spec = ObjectSpec.read(object);
        ProgramSpec p = spec.programs().getFirst();
        CheckReport r = new NfpPreChecker(caps).check(spec, p);
        KernelOutcome k = load(object, p.name());
        List<Finding> loadErrors = r.errors().stream().filter(f -> f.source() != Finding.Source.EXTACK).toList();
        String what = object.getFileName() + " " + r.findings();
        if (k.refusedBeforeKernel()) {
            assertTrue(!loadErrors.isEmpty(), what + ": the loader refused it, the checker did not");
            return;
        }
        assertEquals(k.loaded(), loadErrors.isEmpty(), what + ": verdict");
        List<String> mine = r.findings().stream().filter(f -> f.source() == Finding.Source.VERIFIER_LOG && f.isError()).map(Finding::render).toList();
        assertEquals(k.nfpErrorLines(), mine, what + ": [nfp] lines");
        if (k.loaded()) {
            assertTrue(r.size().minimum() <= k.jitedInsns() && k.jitedInsns() <= r.size().maximum(),
                    what + ": JIT image of " + k.jitedInsns() + " NFP instructions outside the estimate " + r.size());
        } else {
            assertEquals(loadErrors.getFirst().errno().value(), k.errno(), what + ": errno");
        }
    }

    private static List<Path> objects(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            // legacy_maps.o tests the spec reader's legacy "maps" section, which libbpf >= 1.0 no longer loads
            return s.filter(f -> f.toString().endsWith(".o") && !f.getFileName().toString().equals("legacy_maps.o")).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> defaultProfileVerdictsAndLinesMatchTheKernel() throws IOException {
        FirmwareCapabilities caps = FirmwareCapabilities.fromNfpsimDebugfs(DEBUGFS);
        assertEquals(FirmwareCapabilities.nfpsim(), caps, "nfpsim's boot profile is the documented one");
        List<Path> all = new ArrayList<>(objects(corpus));
        all.addAll(objects(corpus.resolve("v3"))); // the same programs built with -mcpu=v3 (ALU32/JMP32)
        return all.stream().map(o -> DynamicTest.dynamicTest(corpus.relativize(o).toString(), () -> compare(o, caps)));
    }

    /** A debugfs knob, its turned-down value, the value to restore, and the corpus program that shows it. */
    record Knob(String file, String value, String restore, String program) {
    }

    @TestFactory
    Stream<DynamicTest> turnedDownProfilesMatchTheKernel() {
        List<Knob> knobs = new ArrayList<>(List.of(
                new Knob("bar/bpf_stack_sz", "0", "8", "nfpsim_xdp_map"),
                new Knob("bar/bpf_stack_sz", "2", "8", "call_deep_stack"),
                new Knob("caps/helper_map_lookup", "0", "0x3f00", "nfpsim_xdp_map"),
                new Knob("caps/helper_map_update", "0", "0x3f10", "helper_delete_hash_ok"),
                new Knob("caps/helper_map_delete", "0", "0x3f20", "helper_delete_hash_ok"),
                new Knob("caps/helper_perf_event_output", "0", "0x3f30", "nfpsim_xdp_perf"),
                new Knob("bar/bpf_max_len", "20", "4096", "nfpsim_xdp_pkt"),
                new Knob("caps/adjust_head_off_max", "0", "248", "nfpsim_xdp_adjust"),
                new Knob("caps/adjust_tail", "N", "Y", "nfpsim_xdp_adjust"),
                new Knob("caps/pseudo_random", "N", "Y", "helper_prandom"),
                new Knob("caps/queue_select", "N", "Y", "ctx_queue_select")));
        return knobs.stream().map(k -> DynamicTest.dynamicTest(k.file() + "=" + k.value() + " " + k.program(), () -> {
            Path file = DEBUGFS.resolve(k.file());
            Files.writeString(file, k.value());
            try {
                FirmwareCapabilities caps = FirmwareCapabilities.fromNfpsimDebugfs(DEBUGFS);
                compare(corpus.resolve(k.program() + ".o"), caps);
            } finally {
                Files.writeString(file, k.restore());
            }
        }));
    }

}
