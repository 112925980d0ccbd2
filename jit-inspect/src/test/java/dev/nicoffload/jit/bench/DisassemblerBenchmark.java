package dev.nicoffload.jit.bench;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * In-process disassembly throughput on the vector generator's random word stream (SplitMix64,
 * seed 0x6000): the score is words per second, directly comparable with objdump's
 * {@code -M no-pc} run on the same words.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DisassemblerBenchmark {
    static final int WORDS = 1 << 16;

    private final long[] words = new long[WORDS];
    private final StringBuilder sb = new StringBuilder(WORDS * 48);
    private NfpDisassembler dis;
    private NfpDisassembler ctx4;

    /** Fills the word array. */
    @Setup
    public void setup() {
        long state = 0x6000;
        for (int i = 0; i < WORDS; i++) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            words[i] = z ^ (z >>> 31);
        }
        dis = NfpDisassembler.defaults();
        ctx4 = NfpDisassembler.of(true, false);
    }

    /** Words/s into a reused buffer, one line per word (as the CLI does). */
    @Benchmark
    @OperationsPerInvocation(WORDS)
    public void randomWords(Blackhole bh) {
        bh.consume(listAll(dis));
    }

    /** The same in 4-context mode. */
    @Benchmark
    @OperationsPerInvocation(WORDS)
    public void randomWordsCtx4(Blackhole bh) {
        bh.consume(listAll(ctx4));
    }

    private int listAll(NfpDisassembler d) {
        sb.setLength(0);
        for (long w : words) {
            d.disassemble(w, sb);
            sb.append('\n');
        }
        return sb.length();
    }
}
