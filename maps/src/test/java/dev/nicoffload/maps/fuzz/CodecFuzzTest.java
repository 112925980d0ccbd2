package dev.nicoffload.maps.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nicoffload.maps.codec.Codec;
import dev.nicoffload.maps.codec.Codecs;
import org.junit.jupiter.api.AfterAll;

import java.lang.invoke.MethodHandles;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzz target for the map codecs: any bytes of a codec's size, as read from a map, decode without
 * an exception and encode back to the same bytes (the codecs below have no padding and no lossy
 * members). Committed inputs run under plain JUnit; {@code JAZZER_FUZZ=1} fuzzes.
 */
class CodecFuzzTest {

    /** Inputs run through a target in this JVM; a build's fuzzing run must reach {@code nicoffload.fuzz.minRuns} (pom.xml). */
    private static final LongAdder RUNS = new LongAdder();

    @AfterAll
    static void aFuzzingRunFuzzed() {
        assertTrue(RUNS.sum() >= Long.getLong("nicoffload.fuzz.minRuns", 0), RUNS.sum() + " runs: Jazzer skipped the target or did not fuzz");
    }

    /** A record laid out as a C struct without padding: 8 + 4 + 2 + 1 + 1 bytes. */
    public record Packed(long total, int count, short port, byte proto, byte flags) {
    }

    private static final List<Codec<?>> CODECS = List.of(Codecs.u32(), Codecs.u64(), Codecs.bytes(12),
            Codecs.record(MethodHandles.lookup(), Packed.class));

    @FuzzTest(maxDuration = "30s")
    void decodeThenEncodeGivesTheSameBytes(byte[] data) {
        RUNS.increment();
        for (Codec<?> codec : CODECS) {
            if (data.length < codec.size()) {
                continue;
            }
            byte[] in = Arrays.copyOf(data, codec.size());
            roundTrip(codec, in);
        }
    }

    private static <T> void roundTrip(Codec<T> codec, byte[] in) {
        T value = codec.decode(ByteBuffer.wrap(in).order(ByteOrder.nativeOrder()));
        ByteBuffer out = ByteBuffer.allocate(codec.size()).order(ByteOrder.nativeOrder());
        codec.encode(value, out);
        if (!Arrays.equals(in, out.array())) {
            throw new AssertionError(codec + ": " + Arrays.toString(in) + " came back as " + Arrays.toString(out.array()));
        }
    }
}
