package dev.nicoffload.offload.precheck.bench;

import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.nicoffload.offload.spec.Instruction.of;

/**
 * Checking a 4,096-instruction XDP program (target: under 10 ms). The program has bounds-checked
 * packet reads, a map lookup and atomic counter per block, and a conditional branch every few
 * instructions, so the analysis walks many paths and prunes at their joins.
 *
 * <p>Run: {@code ./mvnw -pl offload -am test-compile} then
 * {@code java -cp "offload/target/test-classes:offload/target/classes:$(cat offload/target/jmh.cp)" org.openjdk.jmh.Main PreCheckBenchmark}
 * with {@code jmh.cp} from {@code ./mvnw -pl offload dependency:build-classpath -Dmdep.outputFile=target/jmh.cp -Dmdep.includeScope=test}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PreCheckBenchmark {
    private ProgramSpec program;
    private List<MapSpec> maps;
    private NfpPreChecker checker;

    /** Builds the program once. */
    @Setup
    public void build() {
        maps = List.of(new MapSpec("counters", MapType.ARRAY, 4, 8, 64, 0, -1, 0, false));
        List<Instruction> insns = new ArrayList<>();
        insns.add(of(0xbf, 6, 1, 0, 0));                 // r6 = ctx
        while (insns.size() < 4000) {
            int block = insns.size();
            insns.add(of(0x61, 2, 6, 0, 0));             // r2 = data
            insns.add(of(0x61, 3, 6, 4, 0));             // r3 = data_end
            insns.add(of(0xbf, 4, 2, 0, 0));             // r4 = r2
            insns.add(of(0x07, 4, 0, 0, 32));            // r4 += 32
            insns.add(of(0x2d, 4, 3, 22, 0));            // if r4 > r3 goto +22 (to the next block)
            for (int k = 0; k < 4; k++) {
                insns.add(of(0x71, 5, 2, (block + k) % 32, 0)); // r5 = *(u8 *)(r2 + off)
                insns.add(of(0x15, 5, 0, 1, 7));               // if r5 == 7 goto +1
                insns.add(of(0x07, 7, 0, 0, 1));               // r7 += 1
            }
            insns.add(of(0xb7, 1, 0, 0, 0));             // r1 = 0
            insns.add(of(0x63, 10, 1, -4, 0));           // *(u32 *)(r10 - 4) = r1
            insns.add(of(0xbf, 2, 10, 0, 0));            // r2 = r10
            insns.add(of(0x07, 2, 0, 0, -4));            // r2 += -4
            insns.add(new Instruction(Instruction.LD_IMM64, 1, Instruction.PSEUDO_MAP_FD, (short) 0, 0, 0, "counters"));
            insns.add(of(0x85, 0, 0, 0, 1));             // call map_lookup_elem
            insns.add(of(0x15, 0, 0, 2, 0));             // if r0 == 0 goto +2
            insns.add(of(0xb7, 1, 0, 0, 1));             // r1 = 1
            insns.add(of(0xdb, 0, 1, 0, 0));             // lock *(u64 *)(r0 + 0) += r1
        }
        insns.add(of(0xb7, 0, 0, 0, 2));
        insns.add(of(0x95, 0, 0, 0, 0));
        program = new ProgramSpec("bench", "xdp", ProgramType.XDP, 0, "GPL", insns);
        checker = new NfpPreChecker(FirmwareCapabilities.nfpsim().toBuilder().maxProgramLength(0xffff).build());
        CheckReport r = checker.check(program, maps);
        if (!r.offloadable() || program.slotCount() < 4096) {
            throw new IllegalStateException(program.slotCount() + " slots: " + r.findings());
        }
    }

    /** @return the report (consumed by JMH) */
    @Benchmark
    public CheckReport check4096Instructions() {
        return checker.check(program, maps);
    }
}
