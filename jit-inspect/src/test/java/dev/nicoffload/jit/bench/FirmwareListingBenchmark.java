package dev.nicoffload.jit.bench;

import dev.nicoffload.jit.elf.NfpElfFile;
import dev.nicoffload.jit.elf.ObjdumpListing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * In-process parse + whole-file listing of one firmware file (default: the first BPF firmware of
 * the oracle cache; override with {@code -Dnfp.firmware=PATH}). The score is files per second;
 * multiply by the file's word count (printed at setup) for words per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FirmwareListingBenchmark {
    private byte[] file;
    private final StringBuilder out = new StringBuilder(16 << 20);

    /** Reads the firmware file. */
    @Setup(Level.Trial)
    public void setup() throws IOException {
        String p = System.getProperty("nfp.firmware");
        Path path;
        if (p != null) {
            path = Path.of(p);
        } else {
            Path bpf = Path.of(System.getProperty("user.home"), ".cache/nicoffload/oracle/firmware/lib/firmware/netronome/bpf");
            try (var s = Files.list(bpf)) {
                path = s.filter(f -> f.toString().endsWith(".nffw")).sorted().findFirst()
                        .orElseThrow(() -> new UncheckedIOException(new IOException("no firmware in " + bpf)));
            }
        }
        file = Files.readAllBytes(path);
        System.out.println("firmware " + path + ": " + NfpElfFile.parse(file).wordCount() + " words");
    }

    /** Parse and list the whole file into a reused buffer. */
    @Benchmark
    public void parseAndList(Blackhole bh) throws IOException {
        out.setLength(0);
        ObjdumpListing.write(NfpElfFile.parse(file), "fw.nffw", out);
        bh.consume(out.length());
    }
}
