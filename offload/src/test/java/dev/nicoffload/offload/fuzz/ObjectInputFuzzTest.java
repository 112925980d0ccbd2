package dev.nicoffload.offload.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.ObjectLoader;
import dev.nicoffload.offload.spec.ObjectFormatException;
import dev.nicoffload.offload.spec.ObjectSpec;
import org.junit.jupiter.api.AfterAll;

import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz targets for the ELF input of nicoffload: the spec reader and a host load through libbpf.
 * Every input ends in a spec, a loaded object, or one of the declared exceptions; anything else
 * (another exception type, a JVM crash in libbpf) is a finding. Under plain JUnit the committed
 * inputs in {@code ObjectInputFuzzTestInputs/} run (regression mode); {@code JAZZER_FUZZ=1} fuzzes.
 */
class ObjectInputFuzzTest {

    /** Inputs run through a target in this JVM; a build's fuzzing run must reach {@code nicoffload.fuzz.minRuns} (pom.xml). */
    private static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void aFuzzingRunFuzzed() {
        assertTrue(RUNS.sum() >= Long.getLong("nicoffload.fuzz.minRuns", 0), RUNS.sum() + " runs: Jazzer skipped the target or did not fuzz");
    }

    @FuzzTest(maxDuration = "60s")
    void objectSpecParse(byte[] elf) {
        RUNS.increment();
        try {
            ObjectSpec.parse(elf);
        } catch (ObjectFormatException expected) {
            // declared: the bytes are not a BPF object this reader understands
        }
    }

    @FuzzTest(maxDuration = "60s")
    void hostLoad(byte[] elf) {
        RUNS.increment();
        try (LoadedObject obj = ObjectLoader.load(elf, LoadOptions.host())) {
            obj.programs().forEach(p -> p.info());
        } catch (ObjectFormatException | OffloadException | IllegalArgumentException expected) {
            // declared: not an ELF or broken structure (ObjectFormatException), refused by libbpf / the kernel,
            // or a program or map the loader does not take (IllegalArgumentException)
        }
    }
}
