package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.spec.ProgramSpec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/**
 * BPF objects shipped by Debian bookworm's xdp-tools and libxdp1 (1.3.1-1). None of their XDP
 * programs can be offloaded to an NFP, each for reasons read off its source and the facts:
 * xdp-filter uses per-CPU maps and increments statistics with plain stores into map values;
 * xdpdump reads ingress_ifindex/rx_queue_index and keeps its settings in global data; the AF_XDP
 * default program redirects to an XSKMAP with bpf_redirect_map (helper 51); the libxdp dispatcher
 * reads its configuration from .rodata, whose map (BPF_F_RDONLY_PROG) the driver refuses before even its
 * trivial xdp_pass program (r0 = 2; exit) is loaded.
 *
 * <p>The objects are looked up in {@code -Dnicoffload.debian.bpf=DIR}, else in
 * {@code /usr/lib/x86_64-linux-gnu/bpf} (where the packages install them). To provide them without
 * installing: {@code apt-get download xdp-tools libxdp1} and {@code dpkg-deb -x} each into a cache
 * directory, then pass {@code DIR/usr/lib/x86_64-linux-gnu/bpf}.
 */
class DebianObjectsTest {
    private static Path dir;
    private static final NfpPreChecker CHECKER = new NfpPreChecker(FirmwareCapabilities.nfpsim());

    @BeforeAll
    static void locate() {
        String prop = System.getProperty("nicoffload.debian.bpf");
        dir = Path.of(prop != null ? prop : "/usr/lib/x86_64-linux-gnu/bpf");
        Assumptions.assumeTrue(Files.isRegularFile(dir.resolve("xdpfilt_alw_all.o")),
                "xdp-tools/libxdp1 BPF objects not found in " + dir + " (apt-get download xdp-tools libxdp1; dpkg-deb -x; -Dnicoffload.debian.bpf=DIR)");
    }

    private static CheckReport check(String file, String program) {
        ObjectSpec spec = ObjectSpec.read(dir.resolve(file));
        ProgramSpec p = spec.program(program).orElseThrow();
        return CHECKER.check(spec, p);
    }

    private static Set<Rule> errorRules(CheckReport r) {
        return r.errors().stream().map(Finding::rule).collect(Collectors.toSet());
    }

    @Test
    void xdpFilterUsesPerCpuMapsAndWritesMapValues() {
        for (String f : List.of("xdpfilt_alw_all.o", "xdpfilt_dny_all.o", "xdpfilt_alw_eth.o", "xdpfilt_dny_ip.o", "xdpfilt_alw_tcp.o", "xdpfilt_dny_udp.o")) {
            ObjectSpec spec = ObjectSpec.read(dir.resolve(f));
            CheckReport r = CHECKER.check(spec, spec.programs().getFirst());
            assertEquals(Verdict.NOT_OFFLOADABLE, r.verdict(), f);
            assertEquals(List.of("[nfp] map writes not supported"), r.verifierLogLines(), f);
            assertTrue(r.errors().stream().anyMatch(x -> x.rule() == Rule.MAP && x.message().contains("xdp_stats_map': type PERCPU_ARRAY")), f);
        }
    }

    @Test
    void xdpdumpReadsContextFieldsTheJitCannotAndUsesGlobalData() {
        CheckReport r = check("xdpdump_xdp.o", "xdpdump");
        assertEquals(Verdict.NOT_OFFLOADABLE, r.verdict());
        assertEquals(Set.of(Rule.MAP, Rule.CONTEXT), errorRules(r));
        // .data has a non-static variable: libbpf 1.1 creates its map BPF_F_MMAPABLE, which the driver refuses first
        assertTrue(r.errors().getFirst().message().startsWith("map '.data': map flags are not supported (map_flags 0x400: BPF_F_MMAPABLE"),
                r.errors().getFirst().message());
        assertEquals(List.of("[nfp] warning: return codes and behavior of event_output helper differ for offload!"), r.verifierLogLines());
        CheckReport fentry = check("xdpdump_bpf.o", "trace_on_entry");
        assertTrue(errorRules(fentry).contains(Rule.PROGRAM_TYPE));
    }

    @Test
    void afXdpDefaultProgramRedirectsToAnXskmap() {
        for (String f : List.of("xsk_def_xdp_prog.o", "xsk_def_xdp_prog_5.3.o")) {
            ObjectSpec spec = ObjectSpec.read(dir.resolve(f));
            CheckReport r = CHECKER.check(spec, spec.programs().getFirst());
            assertEquals(List.of("[nfp] unsupported function id: 51"), r.verifierLogLines(), f);
            assertTrue(r.errors().stream().anyMatch(x -> x.rule() == Rule.MAP && x.message().contains("type XSKMAP")), f);
        }
    }

    @Test
    void dispatcherNeedsGlobalDataSoEvenItsPassProgramCannotBeLoadedFromTheObject() {
        CheckReport d = check("xdp-dispatcher.o", "xdp_dispatcher");
        assertEquals(Set.of(Rule.MAP), errorRules(d));
        assertEquals(1, d.errors().size(), "one finding per global data section");
        // .rodata: BPF_F_RDONLY_PROG from libbpf; its only variable is static, so no BPF_F_MMAPABLE
        assertTrue(d.errors().getFirst().message().startsWith("map '.rodata': map flags are not supported (map_flags 0x80: BPF_F_RDONLY_PROG"));
        assertEquals(List.of(), d.verifierLogLines());
        // xdp_pass itself (r0 = 2; exit) would offload, but loading the object creates the refused .rodata map first
        CheckReport pass = check("xdp-dispatcher.o", "xdp_pass");
        assertEquals(List.of(Rule.MAP), pass.errors().stream().map(Finding::rule).toList());
        assertTrue(pass.errors().getFirst().message().startsWith("map '.rodata' (not used by this program; loading the object creates it): "));
        assertEquals(26, pass.size().minimum());
    }
}
