package dev.nicoffload.jit.cfg;

import dev.nicoffload.jit.image.ImageLayout;
import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.jit.image.JitInstruction;
import dev.nicoffload.jit.image.Region;
import dev.nicoffload.jit.image.RelocationType;
import dev.nicoffload.jit.isa.InstructionClass;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control-flow graph of an NFP {@link JitImage}: its {@link BasicBlock}s and the {@link Edge}s
 * between them.
 *
 * <p>A block starts at the image start, at every branch target, at every region start of a
 * recognised layout and after every branch's defer slots (an NFP branch takes effect after the
 * {@code defer[n]} instructions that follow it, so those belong to the branch's block).
 * A block ends with:
 * <ul>
 *   <li>a conditional branch ({@code beq}, {@code bcc}, {@code br_bset}, {@code br=ctx}, ...):
 *       a {@link EdgeKind#TAKEN} and a {@link EdgeKind#FALLTHROUGH} edge;</li>
 *   <li>an unconditional {@code br}: a {@link EdgeKind#TAKEN} edge, to a block or, for the
 *       firmware's next-packet code, to the external {@code next_packet};</li>
 *   <li>a call (a helper, a callee-save subroutine, or a BPF subprogram whose return address an
 *       {@code immed} loads just before it): a {@link EdgeKind#CALL} edge and a
 *       {@link EdgeKind#RETURN_SITE} edge to the instruction after the defer slots;</li>
 *   <li>{@code rtn[...]} or {@code jump[...]}: a {@link EdgeKind#RETURN} edge to the external
 *       {@code return};</li>
 *   <li>anything else: a {@link EdgeKind#FALLTHROUGH} edge to the next block.</li>
 * </ul>
 * Immutable; {@link #toDot()} renders it for Graphviz.
 */
public final class ControlFlowGraph {
    private static final Pattern DEFER = Pattern.compile("defer\\[(\\d+)]");
    /** Who may set a call's return address: the few instructions before the branch and its defer slots. */
    private static final int RETURN_ADDRESS_WINDOW = 3;

    private final JitImage image;
    private final List<BasicBlock> blocks;
    private final List<Edge> edges;
    private final int[] blockOf;

    private ControlFlowGraph(JitImage image) {
        this.image = image;
        List<JitInstruction> ins = image.instructions();
        int n = ins.size();
        ImageLayout layout = image.layout();

        int[] effectOf = new int[n]; // for a branch: index after which it takes effect; else -1
        boolean[] leader = new boolean[n + 1];
        leader[0] = true;
        for (JitInstruction i : ins) {
            effectOf[i.index()] = -1;
            if (!isBranch(i)) {
                continue;
            }
            int effect = Math.min(n - 1, i.index() + defer(i));
            effectOf[i.index()] = effect;
            leader[effect + 1] = true;
            if (i.target() >= 0) {
                leader[i.target()] = true;
            }
        }
        if (layout.recognised()) {
            for (int i = 1; i < n; i++) {
                if (layout.regionOf(i) != layout.regionOf(i - 1)) {
                    leader[i] = true;
                }
            }
        }

        List<BasicBlock> list = new ArrayList<>();
        blockOf = new int[n];
        int start = 0;
        for (int i = 1; i <= n; i++) {
            if (leader[i] || i == n) {
                int id = list.size();
                String label = image.labelAt(start);
                list.add(new BasicBlock(id, start, i - 1, layout.regionOf(start), label != null ? label : "B" + id));
                for (int k = start; k < i; k++) {
                    blockOf[k] = id;
                }
                start = i;
            }
        }
        this.blocks = Collections.unmodifiableList(list);

        // the branch that takes effect at each index (the last one wins if defer slots overlap)
        int[] branchEndingAt = new int[n];
        Arrays.fill(branchEndingAt, -1);
        for (int i = 0; i < n; i++) {
            if (effectOf[i] >= 0) {
                branchEndingAt[effectOf[i]] = i;
            }
        }
        List<Edge> out = new ArrayList<>();
        for (BasicBlock b : list) {
            int next = b.id() + 1 < list.size() ? b.id() + 1 : -1;
            int br = branchEndingAt[b.end()];
            if (br < 0) {
                if (next >= 0) {
                    out.add(new Edge(b.id(), next, null, EdgeKind.FALLTHROUGH));
                }
                continue;
            }
            JitInstruction i = ins.get(br);
            String m = mnemonic(i);
            boolean callsBack = i.relocation() == RelocationType.BR_HELPER
                    || i.relocation() == RelocationType.BR_GO_CALL_PUSH_REGS
                    || i.relocation() == RelocationType.BR_GO_CALL_POP_REGS
                    || (m.equals("br") && setsReturnAddress(ins, br, b.end() + 1));
            if (i.instructionClass() == InstructionClass.BR_ALU) {
                out.add(new Edge(b.id(), -1, "return", EdgeKind.RETURN));
            } else if (callsBack) {
                out.add(target(b.id(), i, EdgeKind.CALL));
                if (next >= 0) {
                    out.add(new Edge(b.id(), next, null, EdgeKind.RETURN_SITE));
                }
            } else {
                out.add(target(b.id(), i, EdgeKind.TAKEN));
                if (!m.equals("br") && next >= 0) {
                    out.add(new Edge(b.id(), next, null, EdgeKind.FALLTHROUGH));
                }
            }
        }
        this.edges = Collections.unmodifiableList(out);
    }

    /**
     * Builds the graph of an image.
     *
     * @param image a JIT image (as the kernel exposes it, or relocated)
     * @return its control-flow graph
     */
    public static ControlFlowGraph of(JitImage image) {
        return new ControlFlowGraph(Objects.requireNonNull(image, "image"));
    }

    /** The image the graph was built from. */
    public JitImage image() {
        return image;
    }

    /** The blocks, in image order; together they cover every instruction once. */
    public List<BasicBlock> blocks() {
        return blocks;
    }

    /** The edges, grouped by source block in image order. */
    public List<Edge> edges() {
        return edges;
    }

    /** The edges leaving block {@code id}. */
    public List<Edge> successors(int id) {
        return edges.stream().filter(e -> e.from() == id).toList();
    }

    /** The block holding instruction {@code index}. */
    public BasicBlock blockAt(int index) {
        Objects.checkIndex(index, blockOf.length);
        return blocks.get(blockOf[index]);
    }

    /** The graph in Graphviz DOT, titled after the image. */
    public String toDot() {
        return toDot(image.toString());
    }

    /**
     * The graph in Graphviz DOT ({@code dot -Tsvg} renders it): one box per block listing its
     * instructions, blocks grouped by image region, outside targets as ellipses; taken branches
     * green, fall-through black, not-taken dashed, calls blue.
     *
     * @param title the graph's caption
     */
    public String toDot(String title) {
        StringBuilder sb = new StringBuilder(image.size() * 64);
        sb.append("digraph nfp {\n");
        sb.append("  graph [label=\"").append(escape(title)).append("\", labelloc=t, fontname=\"monospace\"];\n");
        sb.append("  node [shape=box, fontname=\"monospace\", fontsize=10];\n");
        sb.append("  edge [fontname=\"monospace\", fontsize=9];\n");
        Region current = null;
        boolean open = false;
        for (BasicBlock b : blocks) {
            if (b.region() != current && image.layout().recognised()) {
                if (open) {
                    sb.append("  }\n");
                }
                current = b.region();
                String name = current.name().toLowerCase(Locale.ROOT);
                sb.append("  subgraph cluster_").append(name).append(" {\n")
                        .append("    label=\"").append(name).append("\"; style=rounded; color=gray60;\n");
                open = true;
            }
            sb.append(open ? "    " : "  ").append('b').append(b.id()).append(" [label=\"")
                    .append(escape(b.label())).append("  (").append(b.start());
            if (b.length() > 1) {
                sb.append('-').append(b.end());
            }
            sb.append(")\\l");
            int width = Integer.toString(image.size() - 1).length();
            for (int k = b.start(); k <= b.end(); k++) {
                JitInstruction i = image.instructions().get(k);
                String idx = Integer.toString(k);
                // Graphviz drops leading blanks of a line: pad after the index to keep the text aligned
                sb.append(idx).append(" ".repeat(width - idx.length() + 2)).append(escape(i.text()));
                if (i.targetLabel() != null && isBranch(i)) {
                    sb.append("  -> ").append(escape(i.targetLabel()));
                }
                sb.append("\\l");
            }
            sb.append("\"];\n");
        }
        if (open) {
            sb.append("  }\n");
        }
        Set<String> externals = new LinkedHashSet<>();
        for (Edge e : edges) {
            e.externalTarget().ifPresent(externals::add);
        }
        for (String x : externals) {
            sb.append("  \"x_").append(escape(x)).append("\" [shape=ellipse, style=dashed, label=\"")
                    .append(escape(x)).append("\"];\n");
        }
        for (Edge e : edges) {
            sb.append("  b").append(e.from()).append(" -> ");
            if (e.to() >= 0) {
                sb.append('b').append(e.to());
            } else {
                sb.append("\"x_").append(escape(e.external())).append('"');
            }
            sb.append(switch (e.kind()) {
                case TAKEN -> " [color=darkgreen, label=\"taken\"]";
                case FALLTHROUGH -> isConditionalEnd(e.from()) ? " [style=dashed, label=\"not taken\"]" : "";
                case CALL -> " [color=blue, label=\"call\"]";
                case RETURN_SITE -> " [color=blue, style=dotted, label=\"returns\"]";
                case RETURN -> " [color=gray40, label=\"rtn\"]";
            });
            sb.append(";\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private boolean isConditionalEnd(int blockId) {
        return edges.stream().anyMatch(e -> e.from() == blockId && e.kind() == EdgeKind.TAKEN);
    }

    private Edge target(int from, JitInstruction i, EdgeKind kind) {
        if (i.target() >= 0) {
            return new Edge(from, blockOf[i.target()], null, kind);
        }
        return new Edge(from, -1, i.targetLabel() != null ? i.targetLabel() : "outside", kind);
    }

    private static boolean isBranch(JitInstruction i) {
        return switch (i.instructionClass()) {
            case BRANCH, BR_BYTE, BR_BIT, BR_ALU -> true;
            default -> false;
        };
    }

    private static int defer(JitInstruction i) {
        Matcher m = DEFER.matcher(i.text());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static String mnemonic(JitInstruction i) {
        String t = i.text();
        int end = 0;
        while (end < t.length() && t.charAt(end) != '[' && t.charAt(end) != ' ') {
            end++;
        }
        return t.substring(0, end);
    }

    /** Whether an {@code immed} near branch {@code br} loads return address {@code returnTo}. */
    private static boolean setsReturnAddress(List<JitInstruction> ins, int br, int returnTo) {
        for (int k = Math.max(0, br - RETURN_ADDRESS_WINDOW); k < returnTo && k < ins.size(); k++) {
            JitInstruction i = ins.get(k);
            if (i.relocation() == RelocationType.IMMED_REL && i.target() == returnTo) {
                return true;
            }
        }
        return false;
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
