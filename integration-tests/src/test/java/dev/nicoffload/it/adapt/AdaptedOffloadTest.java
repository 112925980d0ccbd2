package dev.nicoffload.it.adapt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.offload.adapt.AdaptOptions;
import dev.nicoffload.offload.adapt.Adaptation;
import dev.nicoffload.offload.adapt.Adapter;
import dev.nicoffload.offload.adapt.AllowedChange;
import dev.nicoffload.offload.device.DeviceKind;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 18, item 5: the corpus programs the NFP refuses as written (offload/src/test/bpf/adapt-corpus,
 * built by the offload module's test build, and libxdp's dispatcher) are refused on nfpsim0 by libbpf
 * ({@code bpftool prog load ... dev nfpsim0}) — measured here, with the kernel's words — and
 * once adapted they load there through libbpf (bpftool, and {@code ip link set ... xdpoffload obj},
 * which also attaches in HW mode), through our API (NicOffload.load with offloadTo, also with
 * {@code adapting(...)} on the original), attach in HW mode, and the NFP JIT image is read back; on a
 * netdevsim port they load (and XDP attaches in HW mode) too.
 */
@ExtendWith(NetdevsimCleanup.class)
class AdaptedOffloadTest {
    private static final Path BPFFS = Path.of("/sys/fs/bpf");
    private static final Path WORK = Path.of(System.getProperty("java.io.tmpdir"), "nicoffload-adapt-it");

    /**
     * One object: which program, the adapter options, the libbpf program type (bpftool's {@code type}),
     * and a fragment of libbpf's output that the refusal of the original on nfpsim0 must contain.
     */
    record Item(Path file, String program, AdaptOptions options, String bpftoolType, String refusedWith) {
        String objectName() {
            return file.getFileName().toString().replaceFirst("\\.o$", "");
        }

        boolean xdp() {
            return bpftoolType.equals("xdp");
        }
    }

    private static Path corpus;
    private static OffloadDevice nfp;
    private static NetdevsimDevice nsim;
    private static final List<String> TABLE = new ArrayList<>();

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(Files.isDirectory(Path.of("/sys/class/net/nfpsim0")), "needs the nfpsim kernel (nfpsim0)");
        Path start;
        try {
            start = Path.of(AdaptedOffloadTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path dir = start; dir != null && corpus == null; dir = dir.getParent()) {
            Path c = dir.resolve("offload/target/adapt-corpus");
            if (Files.isDirectory(c)) corpus = c;
        }
        assertTrue(corpus != null, "the offload module's test build has not compiled the adapter corpus (offload/target/adapt-corpus)");
        nfp = NicOffload.device("nfpsim0");
        assertEquals(DeviceKind.NFPSIM, nfp.kind());
        run(List.of("ip", "link", "set", "dev", "nfpsim0", "up"), true);
        Files.createDirectories(WORK);
        nsim = NetdevsimDevice.create(1);
    }

    @AfterAll
    static void tearDown() {
        if (nsim != null) nsim.close();
        System.out.println("[adapt corpus on nfpsim0]\n" + String.join("\n", TABLE));
    }

    static List<Item> items() {
        AdaptOptions d = AdaptOptions.defaults();
        Path deb = Path.of("/usr/lib/x86_64-linux-gnu/bpf");
        String percpuRefusal = "failed to create: Invalid argument(-22)";
        return List.of(
                new Item(corpus.resolve("xdp_action_stats.o"), "xdp_action_stats", d, "xdp", "map 'xdp_stats_map': " + percpuRefusal),
                new Item(corpus.resolve("xdp_proto_stats.o"), "xdp_proto_stats", d, "xdp", "map 'proto_stats': " + percpuRefusal),
                new Item(corpus.resolve("xdp_flow_lru.o"), "xdp_flow_lru", d.allowing(AllowedChange.LRU_TO_HASH), "xdp",
                        "map 'flows': " + percpuRefusal),
                new Item(corpus.resolve("xdp_port_filter_cfg.o"), "xdp_port_filter_cfg", d, "xdp", ".rodata': " + percpuRefusal),
                new Item(corpus.resolve("xdp_src_hits_noprealloc.o"), "xdp_src_hits_noprealloc", d, "xdp", "map 'watched': " + percpuRefusal),
                new Item(corpus.resolve("tc_classifier.o"), "tc_classifier", d.allowing(AllowedChange.TC_OK_TO_UNSPEC), "classifier",
                        "map 'class_packets': " + percpuRefusal),
                // without tc-ok-to-unspec the TC_ACT_OK exit stays; nfpsim0 takes it all the same: the core
                // verifier prunes the second path into the shared exit (r0 is an imprecise scalar there), so
                // the driver's exit check only sees the first path's TC_ACT_SHOT
                new Item(corpus.resolve("tc_classifier.o"), "tc_classifier", d, "classifier",
                        "map 'class_packets': " + percpuRefusal),
                new Item(deb.resolve("xdp-dispatcher.o"), "xdp_dispatcher", d, "xdp", ".rodata': " + percpuRefusal));
    }

    @TestFactory
    Stream<DynamicTest> refusedAsWrittenOffloadedOnceAdapted() {
        return items().stream().map(i -> DynamicTest.dynamicTest(i.objectName() + " " + i.program(), () -> check(i)));
    }

    /** The corpus programs the adapter refuses: refused on nfpsim0 as written, and not adapted. */
    @TestFactory
    Stream<DynamicTest> refusedAsWrittenAndNotAdapted() {
        String percpu = "failed to create: Invalid argument(-22)";
        return Stream.of(
                new Item(corpus.resolve("xdp_rate_limit.o"), "xdp_rate_limit", AdaptOptions.defaults(), "xdp", "map 'icmp_seen': " + percpu),
                new Item(corpus.resolve("xdp_last_seen.o"), "xdp_last_seen", AdaptOptions.defaults(), "xdp", "map 'last_seen': " + percpu),
                new Item(corpus.resolve("xdp_scratch.o"), "xdp_scratch", AdaptOptions.defaults(), "xdp", "map 'scratch': " + percpu),
                new Item(corpus.resolve("xdp_global_counters.o"), "xdp_global_counters", AdaptOptions.defaults(), "xdp", ".bss': " + percpu))
                .map(i -> DynamicTest.dynamicTest(i.objectName(), () -> {
                    Result before = bpftoolLoad(i.file(), i, "orig");
                    assertNotEquals(0, before.status(), before.output());
                    assertTrue(before.output().contains(i.refusedWith()), before.output());
                    Adaptation a = Adapter.adapt(Files.readAllBytes(i.file()), i.objectName(), i.options());
                    assertTrue(!a.adaptable() && !a.report().refusals().isEmpty(), a.report().render());
                    TABLE.add(i.objectName() + "\tbefore: " + before.output().lines().filter(l -> l.contains(i.refusedWith()))
                            .findFirst().orElseThrow().strip() + "\tnot adapted: " + a.report().refusals().getFirst().render());
                }));
    }

    private static void check(Item i) throws Exception {
        byte[] original = Files.readAllBytes(i.file());
        // before: libbpf refuses the object on nfpsim0 as written
        Result before = bpftoolLoad(i.file(), i, "orig");
        assertNotEquals(0, before.status(), "the original loaded on nfpsim0:\n" + before.output());
        assertTrue(before.output().contains(i.refusedWith()), "refusal of the original:\n" + before.output());
        String reason = before.output().lines().filter(l -> l.contains(i.refusedWith())).findFirst().orElseThrow();

        Adaptation a = Adapter.adapt(original, i.objectName(), i.options().withProgram(i.program()));
        assertTrue(a.adaptable(), a.report().render());
        Path out = write(i, a);

        // after, through libbpf: bpftool prog load ... dev nfpsim0, and the JIT image of that load
        Result after = bpftoolLoad(out, i, "adapted");
        assertEquals(0, after.status(), "the adapted object on nfpsim0:\n" + after.output() + "\n" + a.report().render());
        int jited;
        try (Program p = Program.openPinned(pin(i, "adapted"))) {
            assertTrue(p.info().deviceBound());
            jited = assertInstanceOf(JitImage.class, p.deviceImage()).size();
            assertTrue(jited > 10, "NFP image of " + jited + " instructions");
        } finally {
            Files.deleteIfExists(pin(i, "adapted"));
        }

        // through libbpf with attach: ip link set dev nfpsim0 xdpoffload obj OUT.o program NAME
        if (i.xdp()) {
            Result ip = run(List.of("ip", "link", "set", "dev", "nfpsim0", "xdpoffload", "obj", out.toString(), "program", i.program()), false);
            try {
                assertEquals(0, ip.status(), "ip xdpoffload:\n" + ip.output());
                int hwId = Xdp.query(nfp).hwProgramId();
                assertTrue(hwId > 0, "attached in HW mode");
                try (Program p = Program.openById(hwId)) {
                    assertEquals(i.program().substring(0, Math.min(15, i.program().length())), p.info().name());
                    assertInstanceOf(JitImage.class, p.deviceImage());
                }
            } finally {
                run(List.of("ip", "link", "set", "dev", "nfpsim0", "xdpoffload", "off"), false);
            }
            assertEquals(0, Xdp.query(nfp).hwProgramId(), "detached");
        }

        // through our API: the adapted bytes, then the original with adapting(...)
        try (LoadedObject obj = NicOffload.load(a.output().orElseThrow(), apiOptions(i, nfp))) {
            Program p = obj.program(i.program());
            assertInstanceOf(JitImage.class, p.deviceImage());
            if (i.xdp()) {
                try (XdpAttachment hw = p.attachXdp(nfp, XdpMode.HW)) {
                    assertEquals(p.id(), Xdp.query(nfp).hwProgramId());
                }
            }
        }
        try (LoadedObject obj = NicOffload.load(original, apiOptions(i, nfp).adapting(i.options().withProgram(i.program())))) {
            assertTrue(obj.adaptation().isPresent());
            assertEquals(a.report().changes(), obj.adaptation().orElseThrow().changes());
            assertInstanceOf(JitImage.class, obj.program(i.program()).deviceImage());
        }

        // netdevsim takes it too
        // (netdevsim keeps at most 2 entries per map, ENOMEM above: each map is made there with
        // min(max_entries, 2) entries and handed to the object, which libbpf then uses as is)
        OffloadDevice port = NicOffload.device(nsim.port(0).name());
        List<BpfMap> small = new ArrayList<>();
        LoadOptions onNsim = LoadOptions.offloadTo(port).withObjectName(i.objectName());
        try {
            for (MapSpec m : ObjectSpec.parse(a.output().orElseThrow()).maps()) {
                BpfMap made = BpfMap.create(m.name(), m.type(), m.keySize(), m.valueSize(), Math.min(2, m.maxEntries()), 0, port);
                small.add(made);
                onNsim = onNsim.withMap(m.name(), made);
            }
            loadOnNetdevsim(i, a, port, onNsim);
        } finally {
            small.forEach(BpfMap::close);
        }
        TABLE.add(i.objectName() + ":" + i.program() + " " + i.options().allowed() + "\tbefore: " + reason.strip()
                + "\tafter: loaded, NFP image " + jited + " instructions, "
                + a.report().changes().stream().map(c -> c.kind().name()).distinct().toList());
    }

    /** Our API's options for nfpsim0; for TC_ACT_OK kept (tc_classifier, defaults) the pre-checker is left out (see items()). */
    private static LoadOptions apiOptions(Item i, OffloadDevice dev) {
        LoadOptions o = LoadOptions.offloadTo(dev).withObjectName(i.objectName());
        return i.bpftoolType().equals("classifier") && !i.options().allows(AllowedChange.TC_OK_TO_UNSPEC) ? o.withoutPreCheck() : o;
    }

    private static void loadOnNetdevsim(Item i, Adaptation a, OffloadDevice port, LoadOptions onNsim) {
        try (LoadedObject obj = NicOffload.load(a.output().orElseThrow(), onNsim)) {
            Program p = obj.program(i.program());
            assertTrue(p.info().deviceBound());
            if (i.xdp()) {
                try (XdpAttachment hw = p.attachXdp(port, XdpMode.HW)) {
                    assertEquals(p.id(), Xdp.query(port).hwProgramId());
                }
            }
        }
    }

    private static Path write(Item i, Adaptation a) throws IOException {
        Path out = WORK.resolve(i.objectName() + "-" + (i.options().allowed().isEmpty() ? "defaults" : "allowed") + ".o");
        Files.write(out, a.output().orElseThrow());
        return out;
    }

    private static Path pin(Item i, String what) {
        return BPFFS.resolve("nicoffload-adapt-" + i.objectName().replace('-', '_') + "-" + what);
    }

    record Result(int status, String output) {
    }

    private static Result bpftoolLoad(Path object, Item i, String what) throws IOException {
        Files.deleteIfExists(pin(i, what));
        Result r = run(List.of("bpftool", "prog", "load", object.toString(), pin(i, what).toString(), "type", i.bpftoolType(),
                "dev", "nfpsim0"), false);
        if (r.status() != 0) {
            Files.deleteIfExists(pin(i, what));
        }
        return r;
    }

    private static Result run(List<String> argv, boolean mustSucceed) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", argv) + " did not finish:\n" + out);
            }
            if (mustSucceed && p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", argv) + " failed:\n" + out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new AssertionError("cannot run " + argv.getFirst(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

}
