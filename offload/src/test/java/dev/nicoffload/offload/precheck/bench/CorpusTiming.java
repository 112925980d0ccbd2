package dev.nicoffload.offload.precheck.bench;

import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.FirmwareCapabilities;
import dev.nicoffload.offload.precheck.NfpPreChecker;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pre-check time per corpus program (a measurement, not a test): each object's first program is
 * checked 20 times after 200 warm-up rounds (-Dwarm=N) in one JVM; prints the median time, the checker's
 * processed instructions and the verdict.
 *
 * <p>Run after {@code ./mvnw -pl offload -am test-compile}:
 * {@code java -cp offload/target/test-classes:offload/target/classes:ffm-bindings/target/classes:jit-inspect/target/classes
 * dev.nicoffload.offload.precheck.bench.CorpusTiming offload/target/bpf-corpus [more dirs]}
 */
public final class CorpusTiming {
    private CorpusTiming() {
    }

    /** @param args directories of BPF objects */
    public static void main(String[] args) throws IOException {
        NfpPreChecker checker = new NfpPreChecker(FirmwareCapabilities.nfpsim());
        List<Path> objects = new ArrayList<>();
        for (String d : args) {
            try (Stream<Path> s = Files.list(Path.of(d))) {
                s.filter(f -> f.toString().endsWith(".o")).sorted().forEach(objects::add);
            }
        }
        System.out.println("object | verdict | processed | median ms");
        double max = 0;
        for (Path o : objects) {
            ObjectSpec spec;
            try {
                spec = ObjectSpec.read(o);
            } catch (RuntimeException e) {
                continue;
            }
            if (spec.programs().isEmpty()) continue;
            ProgramSpec p = spec.programs().getFirst();
            CheckReport r = null;
            for (int i = 0; i < Integer.getInteger("warm", 200); i++) r = checker.check(spec, p);
            long[] t = new long[20];
            for (int i = 0; i < t.length; i++) {
                long t0 = System.nanoTime();
                r = checker.check(spec, p);
                t[i] = System.nanoTime() - t0;
            }
            java.util.Arrays.sort(t);
            double ms = t[t.length / 2] / 1e6;
            max = Math.max(max, ms);
            System.out.printf("%s | %s | %d | %.3f%n", o.getFileName(), r.verdict(), r.processed(), ms);
        }
        System.out.printf("max median: %.3f ms%n", max);
    }
}
