package dev.nicoffload.it.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every JShell sample under {@code samples/jshell/} runs unchanged (as {@code samples/jshell/run.sh NAME}
 * runs it: local execution, the project's class path) and prints what it promises.
 */
@ExtendWith(NetdevsimCleanup.class)
class JShellSamplesTest {

    static void contains(String out, String... parts) {
        for (String p : parts) {
            assertTrue(out.contains(p), "missing '" + p + "' in:\n" + out);
        }
    }

    @Test
    void offloadXdp() throws Exception {
        String out = JShellScript.run("offload-xdp");
        contains(out, "driver netdevsim) can offload: true", " in HW mode]", "after detach: XdpState[");
        Matcher attached = Pattern.compile("XdpAttachment\\[xdp_pass \\(id (\\d+)\\) on ").matcher(out);
        assertTrue(attached.find(), out);
        contains(out, "hwProgramId=" + attached.group(1) + "]", "after detach: XdpState[attachMode=0, programId=0");
    }

    @Test
    void xdpCounter() throws Exception {
        String out = JShellScript.run("xdp-counter");
        contains(out, "attached: XdpAttachment[xdp_counter (id ", " in HW mode]", "packets[0] = 0\n", "after reset: packets[0] = 0, sum over slots = 0");
        assertEquals(3, out.lines().filter(l -> l.equals("packets[0] = 0")).count(), out);
    }

    @Test
    void ipv4Blocklist() throws Exception {
        String out = JShellScript.run("ipv4-blocklist");
        contains(out, "attached: XdpAttachment[xdp_blocklist (id ", "blocked 192.0.2.1, dropped 0", "blocked 198.51.100.7, dropped 0",
                "203.0.113.9 refused: map full (E2BIG)", "now blocked: [198.51.100.7, 203.0.113.9]");
    }

    @Test
    void nfpPrecheck() throws Exception {
        String out = JShellScript.run("nfp-precheck");
        contains(out, "agilio-cx: xdp_blocklist OFFLOADABLE, stack ", "no-lookup: xdp_blocklist NOT_OFFLOADABLE",
                "    [nfp] map_lookup: not supported by FW", "nfpsim0: xdp_blocklist OFFLOADABLE",
                "load refused: ");
        assertTrue(out.substring(out.indexOf("load refused: ")).contains("map_lookup: not supported by FW"), out);
    }

    @Test
    void nfpDisasm() throws Exception {
        String out = JShellScript.run("nfp-disasm");
        Matcher head = Pattern.compile("JitImage\\[(\\d+) instructions, XDP], layout XDP, body (\\d+) instructions").matcher(out);
        assertTrue(head.find(), out);
        assertTrue(Integer.parseInt(head.group(2)) > 10, "the blocklist body is more than a return: " + out);
        contains(out, "; body (", "; outro (13)", "-> exit", "next_packet", "helper_");
        Matcher cfg = Pattern.compile("(\\d+) basic blocks, (\\d+) edges").matcher(out);
        assertTrue(cfg.find(), out);
        assertTrue(Integer.parseInt(cfg.group(1)) >= 6, out);
        contains(out, "control-flow graph: ", "xdp_blocklist.dot");
        List<String> listing = out.lines().filter(l -> l.matches("\\s+\\d+  [0-9a-f]{16}  .*")).toList();
        assertEquals(Integer.parseInt(head.group(1)), listing.size(), "one listing line per instruction");
    }

    @Test
    void adaptPercpuOffloadsTheAdaptedCounter() throws Exception {
        String out = JShellScript.run("adapt-percpu");
        assertTrue(out.contains("as written: refused"), out);
        assertTrue(out.contains("change: map packets: type PERCPU_ARRAY -> type ARRAY"), out);
        assertTrue(out.contains("lock *(u64 *)(r0 + 0) += r1"), out);
        assertTrue(out.contains("attached: "), out);
        assertTrue(out.contains("packets[0] = 0"), out);
    }
}
