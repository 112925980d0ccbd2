package dev.nicoffload.bench;

import dev.nicoffload.maps.NumericMap;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.info.MapType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Per-operation cost of map lookups and updates on a host ARRAY map ({@code __u32} key,
 * {@code __u64} value, one entry), the same map and calls as {@code src/main/c/map_ops.c}:
 * {@link NumericMap} (the allocation-free path) and the typed {@link OffloadMap} path (boxing and
 * {@code Optional}). Run with {@code bench/run.sh}, which adds {@code -prof gc} and the C figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MapFastPathBenchmark {

    private OffloadMap<Integer, Long> map;
    private NumericMap numeric;
    private long next;

    /** Creates the map (needs root, or CAP_BPF). */
    @Setup(Level.Trial)
    public void createMap() {
        map = OffloadMap.createOnHost(MapType.ARRAY, "bench", Codecs.u32(), Codecs.u64(), 1);
        numeric = map.numeric();
    }

    /** Closes the map. */
    @TearDown(Level.Trial)
    public void closeMap() {
        map.close();
    }

    /** {@code bpf_map_lookup_elem} through the numeric view. */
    @Benchmark
    public long numericLookup() {
        return numeric.get(0);
    }

    /** {@code bpf_map_update_elem(BPF_ANY)} through the numeric view. */
    @Benchmark
    public void numericUpdate() {
        numeric.put(0, next++);
    }

    /** The typed path: a boxed key in, an {@code Optional<Long>} out. */
    @Benchmark
    public Object typedLookup() {
        return map.lookup(0);
    }

    /** The typed path: boxed key and value. */
    @Benchmark
    public void typedUpdate() {
        map.put(0, next++);
    }
}
