package dev.nicoffload.offload.adapt.equivalence;

import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.adapt.Refusal;
import dev.nicoffload.offload.adapt.equivalence.AdaptCorpus.Case;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Result;
import dev.nicoffload.offload.adapt.equivalence.EquivalenceHarness.Run;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 18, item 4 over item 6's corpus: every corpus program the adapter adapts behaves exactly as
 * its original on the host, packet by packet, with empty maps and with maps pre-populated identically;
 * every program it must refuse is refused with a reason. Needs root (host bpf() and
 * BPF_PROG_TEST_RUN); the figures go to {@code target/adapt-equivalence.txt} (the docs table).
 */
class CorpusEquivalenceTest {

    /** Packets per run; two runs per adapted program (empty and pre-populated maps). */
    static final int PACKETS = 2500;
    static final long SEED = 0x18ada97L;

    private static final List<String> LINES = new ArrayList<>();
    private static List<byte[]> packets;

    @BeforeAll
    static void setUp() {
        EquivalenceHarness.requireRoot();
        packets = PacketSet.generate(SEED, PACKETS);
    }

    @AfterAll
    static void writeFigures() throws IOException {
        Files.write(Path.of("target/adapt-equivalence.txt"), LINES);
    }

    @TestFactory
    Stream<DynamicTest> ownCorpus() {
        Path dir = AdaptCorpus.corpusDir();
        return AdaptCorpus.own().stream().map(c -> DynamicTest.dynamicTest(c.file() + " " + c.options().allowed(), () -> check(dir, c)));
    }

    /**
     * Debian's xdp-tools/libxdp1 objects: each is adapted with the defaults; every XDP program of an
     * adapted object is compared with its original.
     */
    @TestFactory
    Stream<DynamicTest> debianXdpTools() {
        Path dir = AdaptCorpus.debianDir();
        assertTrue(Files.isRegularFile(dir.resolve("xdpfilt_alw_all.o")), "xdp-tools/libxdp1 objects missing in " + dir
                + ": scripts/install-deps.sh installs the packages (or -Dnicoffload.debian.bpf=DIR)");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".o")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files.stream().flatMap(f -> {
            byte[] bytes = read(f);
            ObjectSpec spec = ObjectSpec.parse(bytes);
            return spec.programs().stream().filter(p -> p.type() == ProgramType.XDP)
                    .map(ProgramSpec::name)
                    .map(name -> DynamicTest.dynamicTest(f.getFileName() + " " + name, () -> checkDebian(f, bytes, name)));
        });
    }

    private static byte[] read(Path f) {
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void check(Path dir, Case c) {
        byte[] original = read(dir.resolve(c.file()));
        Adaptation a = Adapter.adapt(original, c.objectName(), c.options().withProgram(c.program()));
        String report = a.report().render();
        assertEquals(c.adaptable(), a.adaptable(), c.file() + ": " + report);
        if (!a.adaptable()) {
            assertFalse(a.report().refusals().isEmpty(), report);
            LINES.add(String.join("\t", c.file(), c.pattern(), "refused", a.report().refusals().stream().map(Refusal::render).toList().toString()));
            return;
        }
        byte[] adapted = a.output().orElseThrow();
        assertFalse(a.report().changes().isEmpty(), c.file() + " needed changes to offload: " + report);
        assertFalse(Arrays.equals(original, adapted), "changes reported, bytes unchanged");
        Run run = new Run(original, adapted, c.objectName(), c.program(), a.report().mapCorrespondences(), packets,
                EquivalenceHarness.Prepopulation.NONE, c.returnMap());
        Result empty = EquivalenceHarness.compare(run);
        Result prepop = EquivalenceHarness.compare(run.withPrepopulation(c.prepop()));
        for (Result r : List.of(empty, prepop)) {
            assertEquals(PACKETS, r.packets());
            assertTrue(r.packetsExecuted() >= PACKETS * 9 / 10, "most packets reach the program: " + r.packetsExecuted());
            assertTrue(r.mapsCompared() >= 1, "maps compared");
            assertEquals(0, r.differenceCount(), c.file() + ": " + r.differences() + "\n" + report);
        }
        LINES.add(String.join("\t", c.file(), c.pattern(), "adapted",
                a.report().changes().stream().map(ch -> ch.kind().name()).distinct().toList().toString(),
                String.valueOf(empty.packets() + prepop.packets()), String.valueOf(empty.packetsExecuted() + prepop.packetsExecuted()),
                String.valueOf(empty.mapsCompared()), String.valueOf(empty.differenceCount() + prepop.differenceCount())));
    }

    private static void checkDebian(Path file, byte[] original, String program) {
        String objectName = file.getFileName().toString().replaceFirst("\\.o$", "");
        Adaptation a = Adapter.adapt(original, objectName, AdaptOptions.defaults().withProgram(program));
        String report = a.report().render();
        if (!a.adaptable()) {
            assertFalse(a.report().refusals().isEmpty(), report);
            LINES.add(String.join("\t", file.getFileName() + ":" + program, "xdp-tools", "refused",
                    a.report().refusals().stream().map(Refusal::render).toList().toString()));
            return;
        }
        byte[] adapted = a.output().orElseThrow();
        Result r = EquivalenceHarness.compare(Run.of(original, adapted, objectName, program, a.report().mapCorrespondences(), packets));
        assertEquals(0, r.differenceCount(), file + " " + program + ": " + r.differences() + "\n" + report);
        LINES.add(String.join("\t", file.getFileName() + ":" + program, "xdp-tools", a.report().changes().isEmpty() ? "unchanged" : "adapted",
                a.report().changes().stream().map(ch -> ch.kind().name()).distinct().toList().toString(),
                String.valueOf(r.packets()), String.valueOf(r.packetsExecuted()), String.valueOf(r.mapsCompared()), String.valueOf(r.differenceCount())));
    }
}
