package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.TestObjects;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The analysis stays within a small factor of the kernel verifier's work on programs with variable
 * packet offsets, branchy parsers and bounded loops: the checker's processed instructions against
 * the "processed N insns" the 6.1 verifier reported for the same objects on nfpsim0 (recorded from
 * the guest test {@code it.precheck.BoundLoaderOracleTest}, which asserts the same bound live), and
 * each program is accepted, as the kernel accepted it.
 */
class ProcessedVsKernelTest {
    private static final int MAX_RATIO = 4;

    /** Kernel "processed N insns" on nfpsim0 (6.1.192), default build and -mcpu=v3. */
    private static final Map<String, int[]> KERNEL = Map.of(
            "pkt_ipv4_options", new int[]{38, 37},
            "pkt_ipv6_ext", new int[]{222, 232},
            "pkt_rss_parse_udp", new int[]{161, 161},
            "loop_tcp_options", new int[]{6297, 6101},
            "loop_tcp_options10", new int[]{13011, 24816});

    @TestFactory
    Stream<DynamicTest> checkerWorkIsWithinASmallFactorOfTheKernels() {
        return KERNEL.entrySet().stream().flatMap(e -> Stream.of(0, 1).map(v -> DynamicTest.dynamicTest(e.getKey() + (v == 1 ? " (v3)" : ""), () -> {
            ObjectSpec spec = ObjectSpec.read(v == 0 ? TestObjects.object(e.getKey()) : TestObjects.dir().resolve("v3").resolve(e.getKey() + ".o"));
            CheckReport r = new NfpPreChecker(FirmwareCapabilities.nfpsim()).check(spec, spec.programs().getFirst());
            int kernel = e.getValue()[v];
            assertTrue(r.processed() > 0 && r.processed() <= MAX_RATIO * kernel,
                    "checker processed " + r.processed() + ", kernel " + kernel);
            assertEquals(Verdict.OFFLOADABLE, r.verdict(), r.findings().toString());
        })));
    }
}
