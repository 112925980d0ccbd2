package dev.nicoffload.ffm;

import dev.nicoffload.ffm.bpf.BpfLayouts;
import dev.nicoffload.ffm.bpf.BpfSyscall;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.ffm.netlink.NetlinkCodec;
import dev.nicoffload.ffm.netlink.RtNetlink;
import dev.nicoffload.ffm.libc.Ethtool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every struct layout the bindings use, compared field by field (offset and size) and in total
 * size with what gcc computes from the installed headers (libbpf 1.1.2, linux uapi, glibc).
 */
class StructLayoutsMatchCHeadersTest {

    /** A Java layout and the C type it mirrors; {@code wholeStruct} false for slices of a union. */
    record Checked(String cType, GroupLayout layout, boolean wholeStruct) {
    }

    static final List<Checked> CHECKED = List.of(
            new Checked("struct bpf_prog_info", BpfLayouts.PROG_INFO, true),
            new Checked("struct bpf_map_info", BpfLayouts.MAP_INFO, true),
            new Checked("struct bpf_object_open_opts", BpfLayouts.OBJECT_OPEN_OPTS, true),
            new Checked("struct bpf_xdp_query_opts", BpfLayouts.XDP_QUERY_OPTS, true),
            new Checked("union bpf_attr", BpfLayouts.ATTR_MAP_CREATE, false),
            new Checked("union bpf_attr", BpfLayouts.ATTR_PROG_LOAD, false),
            new Checked("struct ifreq", Ethtool.IFREQ, true),
            new Checked("struct ethtool_drvinfo", Ethtool.DRVINFO, true),
            new Checked("struct nlmsghdr", NetlinkCodec.NLMSGHDR, true),
            new Checked("struct ifinfomsg", NetlinkCodec.IFINFOMSG, true),
            new Checked("struct nlmsgerr", NetlinkCodec.NLMSGERR, true),
            new Checked("struct timeval", RtNetlink.TIMEVAL, true));

    /** uapi constants the bindings hard-code, by their C names. */
    static final Map<String, Long> CONSTANTS = Map.ofEntries(
            Map.entry("IFLA_XDP", (long) NetlinkCodec.IFLA_XDP),
            Map.entry("IFLA_XDP_FD", (long) NetlinkCodec.IFLA_XDP_FD),
            Map.entry("IFLA_XDP_FLAGS", (long) NetlinkCodec.IFLA_XDP_FLAGS),
            Map.entry("IFLA_XDP_EXPECTED_FD", (long) NetlinkCodec.IFLA_XDP_EXPECTED_FD),
            Map.entry("RTM_SETLINK", (long) NetlinkCodec.RTM_SETLINK),
            Map.entry("XDP_FLAGS_UPDATE_IF_NOEXIST", (long) NetlinkCodec.XDP_FLAGS_UPDATE_IF_NOEXIST),
            Map.entry("XDP_FLAGS_SKB_MODE", (long) NetlinkCodec.XDP_FLAGS_SKB_MODE),
            Map.entry("XDP_FLAGS_DRV_MODE", (long) NetlinkCodec.XDP_FLAGS_DRV_MODE),
            Map.entry("XDP_FLAGS_HW_MODE", (long) NetlinkCodec.XDP_FLAGS_HW_MODE),
            Map.entry("XDP_FLAGS_REPLACE", (long) NetlinkCodec.XDP_FLAGS_REPLACE),
            Map.entry("NLMSG_ERROR", (long) NetlinkCodec.NLMSG_ERROR),
            Map.entry("NLMSG_DONE", (long) NetlinkCodec.NLMSG_DONE),
            Map.entry("NLM_F_REQUEST", (long) NetlinkCodec.NLM_F_REQUEST),
            Map.entry("NLM_F_ACK", (long) NetlinkCodec.NLM_F_ACK),
            Map.entry("NLM_F_CAPPED", (long) NetlinkCodec.NLM_F_CAPPED),
            Map.entry("NLM_F_ACK_TLVS", (long) NetlinkCodec.NLM_F_ACK_TLVS),
            Map.entry("NLMSGERR_ATTR_MSG", (long) NetlinkCodec.NLMSGERR_ATTR_MSG),
            Map.entry("NLA_F_NESTED", (long) Short.toUnsignedInt(NetlinkCodec.NLA_F_NESTED)),
            Map.entry("SIOCETHTOOL", Ethtool.SIOCETHTOOL),
            Map.entry("ETHTOOL_GDRVINFO", (long) Ethtool.ETHTOOL_GDRVINFO),
            Map.entry("BPF_MAP_CREATE", (long) BpfSyscall.BPF_MAP_CREATE),
            Map.entry("BPF_PROG_LOAD", (long) BpfSyscall.BPF_PROG_LOAD),
            Map.entry("__NR_bpf", LibC.SYS_BPF),
            Map.entry("SOCK_CLOEXEC", (long) LibC.SOCK_CLOEXEC),
            Map.entry("AF_NETLINK", (long) LibC.AF_NETLINK),
            Map.entry("SO_RCVTIMEO", 20L),
            Map.entry("SOL_NETLINK", 270L),
            Map.entry("NETLINK_EXT_ACK", 11L));

    static Map<String, Long> measured;

    @BeforeAll
    static void compileAndRunProbe() throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("""
                #include <stddef.h>
                #include <stdio.h>
                #include <net/if.h>
                #include <linux/bpf.h>
                #include <linux/ethtool.h>
                #include <bpf/libbpf.h>
                #include <linux/netlink.h>
                #include <linux/rtnetlink.h>
                #include <linux/if_link.h>
                #include <linux/sockios.h>
                #include <sys/socket.h>
                #include <sys/syscall.h>
                #include <sys/time.h>
                #define FIELD(t, f) printf("%s.%s %zu %zu\\n", #t, #f, offsetof(t, f), sizeof(((t *)0)->f));
                int main(void) {
                """);
        for (Checked k : CHECKED) {
            c.append("  printf(\"%s %zu\\n\", \"").append(k.cType()).append("\", sizeof(").append(k.cType()).append("));\n");
            for (MemoryLayout m : k.layout().memberLayouts()) {
                if (m.name().isPresent()) {
                    c.append("  FIELD(").append(k.cType()).append(", ").append(m.name().get()).append(")\n");
                }
            }
        }
        for (String name : CONSTANTS.keySet()) {
            c.append("  printf(\"const ").append(name).append(" %lld\\n\", (long long) (").append(name).append("));\n");
        }
        c.append("  return 0;\n}\n");
        Path dir = Files.createTempDirectory("nicoffload-layout-probe");
        Path src = dir.resolve("probe.c");
        Path exe = dir.resolve("probe");
        Files.writeString(src, c);
        String out = run(List.of("gcc", "-I/usr/include/x86_64-linux-gnu", "-o", exe.toString(), src.toString()));
        measured = new HashMap<>();
        for (String line : run(List.of(exe.toString())).split("\n")) {
            String[] parts = line.split(" ");
            // "struct x 232", "union bpf_attr 144", "struct x.f 8 4"
            if (parts[0].equals("const")) {
                measured.put("const " + parts[1], Long.parseLong(parts[2]));
            } else if (parts.length == 3) {
                measured.put(parts[0] + " " + parts[1], Long.parseLong(parts[2]));
            } else if (parts.length == 4) {
                measured.put(parts[0] + " " + parts[1] + "@off", Long.parseLong(parts[2]));
                measured.put(parts[0] + " " + parts[1] + "@size", Long.parseLong(parts[3]));
            }
        }
        assertNotNull(out);
        Files.delete(exe);
        Files.delete(src);
        Files.delete(dir);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed:\n" + out);
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyNamedFieldHasTheCOffsetAndSize() {
        return CHECKED.stream().flatMap(k -> k.layout().memberLayouts().stream()
                .filter(m -> m.name().isPresent())
                .map(m -> DynamicTest.dynamicTest(k.cType() + "." + m.name().get(), () -> {
                    String key = k.cType() + "." + m.name().get();
                    long off = k.layout().byteOffset(MemoryLayout.PathElement.groupElement(m.name().get()));
                    assertEquals(measured.get(key + "@off"), off, key + " offset");
                    assertEquals(measured.get(key + "@size"), m.byteSize(), key + " size");
                })));
    }

    @TestFactory
    Stream<DynamicTest> wholeStructsHaveTheCSize() {
        return CHECKED.stream().filter(Checked::wholeStruct).map(k -> DynamicTest.dynamicTest(k.cType(),
                () -> assertEquals(measured.get(k.cType()), k.layout().byteSize(), "sizeof(" + k.cType() + ")")));
    }

    @TestFactory
    Stream<DynamicTest> hardCodedConstantsHaveTheHeaderValues() {
        return CONSTANTS.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertEquals(measured.get("const " + e.getKey()), e.getValue(), e.getKey())));
    }

    @Test
    void bpfAttrSizeIsTheUnionSize() {
        assertEquals(measured.get("union bpf_attr"), BpfLayouts.BPF_ATTR_SIZE);
        assertEquals(BpfLayouts.ATTR_MAP_CREATE.byteSize() <= BpfLayouts.BPF_ATTR_SIZE, true);
        assertEquals(BpfLayouts.ATTR_PROG_LOAD.byteSize() <= BpfLayouts.BPF_ATTR_SIZE, true);
    }
}
