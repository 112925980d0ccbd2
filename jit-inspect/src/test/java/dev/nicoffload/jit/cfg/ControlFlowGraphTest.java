package dev.nicoffload.jit.cfg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.jit.image.Region;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Basic blocks and edges of the committed nfpsim JIT images, worked out by hand from their
 * listings ({@code JitImage.listing()}).
 */
class ControlFlowGraphTest {

    static JitImage image(String name) throws Exception {
        try (InputStream in = JitImage.class.getResourceAsStream(name)) {
            return JitImage.of(in.readAllBytes());
        }
    }

    /** Blocks as "start-end label", edges as "from>to:KIND" (to = block id or external name). */
    static String blocks(ControlFlowGraph g) {
        return g.blocks().stream().map(b -> b.start() + "-" + b.end() + " " + b.label()).collect(Collectors.joining(", "));
    }

    static String edges(ControlFlowGraph g) {
        return g.edges().stream()
                .map(e -> e.from() + ">" + (e.to() >= 0 ? Integer.toString(e.to()) : e.external()) + ":" + e.kind())
                .collect(Collectors.joining(" "));
    }

    @Test
    void xdpPassHasStraightBodyAndTheOutrosTwoPaths() throws Exception {
        // body 2-4 ends in br -> exit (8); abort 5-7 = br next_packet defer[2]; exit 8-9 ends in
        // bcc -> abort; 10-17 ends in br next_packet defer[2]; the NOP tail 18-25 is unreachable
        ControlFlowGraph g = ControlFlowGraph.of(image("xdp_pass.nfp.bin"));
        assertEquals("0-1 B0, 2-4 B1, 5-7 abort, 8-9 exit, 10-17 B4, 18-25 B5", blocks(g));
        assertEquals("0>1:FALLTHROUGH 1>3:TAKEN 2>next_packet:TAKEN 3>2:TAKEN 3>4:FALLTHROUGH 4>next_packet:TAKEN",
                edges(g));
        assertEquals(Region.NOP_TAIL, g.blocks().get(5).region());
        assertEquals(List.of(), g.successors(5));
    }

    @Test
    void subprogramCallReturnsAfterTheDeferSlot() throws Exception {
        // 2: br[.19], defer[1] with 3: immed[gprA_21, L4] loading the return address -> a call
        // 13 beq -> 16; 33 bcc -> 47; 42 blt -> 45; 48 rtn[gprA_21]
        ControlFlowGraph g = ControlFlowGraph.of(image("xdp_call.nfp.bin"));
        assertEquals("0-1 B0, 2-3 B1, 4-13 L4, 14-15 B3, 16-18 L16, 19-33 L19, 34-42 B6, 43-44 B7, 45-46 L45, "
                + "47-48 L47, 49-51 abort, 52-53 exit, 54-61 B12, 62-69 B13", blocks(g));
        assertEquals("0>1:FALLTHROUGH 1>5:CALL 1>2:RETURN_SITE 2>4:TAKEN 2>3:FALLTHROUGH 3>4:FALLTHROUGH "
                + "4>11:TAKEN 5>9:TAKEN 5>6:FALLTHROUGH 6>8:TAKEN 6>7:FALLTHROUGH 7>8:FALLTHROUGH 8>9:FALLTHROUGH "
                + "9>return:RETURN 10>next_packet:TAKEN 11>10:TAKEN 11>12:FALLTHROUGH 12>next_packet:TAKEN", edges(g));
        assertEquals(5, g.blockAt(19).id());
        assertEquals(5, g.blockAt(33).id());
    }

    @Test
    void helperCallIsAnExternalCallThatReturns() throws Exception {
        // 12: br[.15001], defer[2] (helper 1, map lookup) -> block ends at 14, resumes at 15
        ControlFlowGraph g = ControlFlowGraph.of(image("xdp_map.nfp.bin"));
        assertEquals(9, g.blocks().size());
        assertEquals("2-14 B1", g.blocks().get(1).start() + "-" + g.blocks().get(1).end() + " " + g.blocks().get(1).label());
        assertEquals("1>helper_1:CALL 1>2:RETURN_SITE",
                g.successors(1).stream().map(e -> e.from() + ">" + (e.to() >= 0 ? e.to() : e.external()) + ":" + e.kind())
                        .collect(Collectors.joining(" ")));
    }

    @Test
    void blocksCoverEveryInstructionOnceInEveryImage() throws Exception {
        for (String n : List.of("xdp_pass", "xdp_map", "xdp_adjust", "xdp_call", "xdp_div32", "xdp_perf", "xdp_pkt", "tc_shot")) {
            JitImage im = image(n + ".nfp.bin");
            ControlFlowGraph g = ControlFlowGraph.of(im);
            int next = 0;
            for (BasicBlock b : g.blocks()) {
                assertEquals(next, b.start(), n);
                assertTrue(b.end() >= b.start(), n);
                next = b.end() + 1;
            }
            assertEquals(im.size(), next, n);
            for (Edge e : g.edges()) {
                assertTrue(e.to() < g.blocks().size(), n);
            }
        }
    }

    @Test
    void dotNamesEveryBlockEdgeAndRegion() throws Exception {
        ControlFlowGraph g = ControlFlowGraph.of(image("xdp_pass.nfp.bin"));
        String dot = g.toDot("t \"q\"");
        assertTrue(dot.startsWith("digraph nfp {\n"), dot);
        assertTrue(dot.contains("label=\"t \\\"q\\\"\""), dot);
        for (String s : List.of("subgraph cluster_intro", "subgraph cluster_body", "subgraph cluster_outro",
                "subgraph cluster_nop_tail", "b1 -> b3 [color=darkgreen, label=\"taken\"];",
                "b3 -> b4 [style=dashed, label=\"not taken\"];", "b0 -> b1;", "b4 -> \"x_next_packet\"",
                "exit  (8-9)\\l", "9   bcc[.5]  -> abort\\l", "\\l10  immed[gprB_2, 0x2282]\\l")) {
            assertTrue(dot.contains(s), s + " missing in\n" + dot);
        }
        assertEquals(6, dot.lines().filter(l -> l.matches("\\s+b\\d+ \\[label=.*")).count());
        assertEquals(g.edges().size(), dot.lines().filter(l -> l.matches("\\s+b\\d+ -> .*")).count());
    }
}
