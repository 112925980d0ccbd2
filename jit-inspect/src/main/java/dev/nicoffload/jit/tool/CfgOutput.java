package dev.nicoffload.jit.tool;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.cfg.ControlFlowGraph;
import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.jit.io.SafeText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code nfp-disasm --cfg OUT}: writes a JIT image's control-flow graph as DOT, or as SVG through
 * Graphviz. Bounded at every step: the image may hold at most {@link #MAX_WORDS} instructions (the
 * NFP's program length register is 16 bits), an SVG is rendered only for graphs of at most
 * {@link #MAX_SVG_BLOCKS} blocks (larger ones are refused with a pointer to {@code --cfg OUT.dot}),
 * and dot runs at most {@link #DOT_TIMEOUT_SECONDS} s: its input is written and its error output
 * read by threads of their own while this one waits, and at the limit dot and its descendants
 * are killed.
 */
final class CfgOutput {
    /** How long Graphviz may take for one graph. */
    static final long DOT_TIMEOUT_SECONDS = 120;

    /** The most instructions a JIT image can have: NFP_NET_CFG_BPF_MAX_LEN is a u16 count of instructions. */
    static final int MAX_WORDS = 0xffff;

    /** The most basic blocks rendered as SVG; Graphviz's layout time grows much faster than the graph. */
    static final int MAX_SVG_BLOCKS = 1000;

    /** The most bytes of dot's error output kept for the message. */
    private static final int MAX_MESSAGE_BYTES = 4096;

    private CfgOutput() {}

    static int write(String file, byte[] bytes, String target, PrintStream out, PrintStream err)
            throws NfpFormatException {
        if (bytes.length / 8 > MAX_WORDS) {
            err.println("nfp-disasm: " + SafeText.escape(file) + ": " + bytes.length / 8 + " instructions; a JIT image has at most "
                    + MAX_WORDS + " (NFP_NET_CFG_BPF_MAX_LEN), so this is no JIT image");
            return NfpDisasmTool.BAD_INPUT;
        }
        JitImage image = JitImage.of(bytes);
        ControlFlowGraph graph;
        String dot;
        try {
            graph = ControlFlowGraph.of(image);
            dot = graph.toDot(Path.of(file).getFileName() + ": " + image);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // the image decodes, but its relocations or layout are not what the kernel's JIT writes
            err.println("nfp-disasm: " + SafeText.escape(file) + ": not a JIT image this tool can graph: " + SafeText.escape(String.valueOf(e.getMessage())));
            return NfpDisasmTool.BAD_INPUT;
        }
        try {
            if (target.equals("-")) {
                out.print(dot);
                out.flush();
                return NfpDisasmTool.OK;
            }
            Path dest = Path.of(target);
            if (!target.toLowerCase(Locale.ROOT).endsWith(".svg")) {
                Files.writeString(dest, dot, StandardCharsets.UTF_8);
                return NfpDisasmTool.OK;
            }
            int blocks = graph.blocks().size();
            if (blocks > MAX_SVG_BLOCKS) {
                err.println("nfp-disasm: " + SafeText.escape(file) + ": the graph has " + blocks + " blocks, more than the "
                        + MAX_SVG_BLOCKS + " rendered as SVG; give --cfg OUT.dot (or -) for the DOT text");
                return NfpDisasmTool.BAD_INPUT;
            }
            return render(List.of("dot", "-Tsvg", "-o", dest.toString()), dot, DOT_TIMEOUT_SECONDS, err);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            err.println("nfp-disasm: " + SafeText.escape(target) + ": cannot write: " + SafeText.escape(String.valueOf(e.getMessage())));
            return NfpDisasmTool.BAD_INPUT;
        }
    }

    /**
     * Runs {@code command} (Graphviz's dot) with {@code dot} on its standard input, waiting at most
     * {@code timeoutSeconds}; standard output is discarded (dot writes to its {@code -o} file).
     */
    static int render(List<String> command, String dot, long timeoutSeconds, PrintStream err) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            err.println("nfp-disasm: cannot run Graphviz's dot (" + e.getMessage()
                    + "): install graphviz, or give --cfg OUT.dot and render it elsewhere");
            return NfpDisasmTool.BAD_INPUT;
        }
        byte[] input = dot.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        // both pipes are served while this thread waits: dot may write errors before it has read its input
        Thread.ofPlatform().daemon().name("dot-input").start(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(input);
            } catch (IOException ignored) {
                // dot exited or was killed before reading everything: its status says what happened
            }
        });
        Thread drainer = Thread.ofPlatform().daemon().name("dot-errors").start(() -> {
            byte[] buf = new byte[8192];
            try (InputStream e = p.getErrorStream()) {
                for (int n; (n = e.read(buf)) >= 0; ) {
                    synchronized (messages) {
                        messages.write(buf, 0, Math.min(n, Math.max(0, MAX_MESSAGE_BYTES - messages.size())));
                    }
                }
            } catch (IOException ignored) {
                // the pipe closed when dot was killed
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                kill(p);
                err.println("nfp-disasm: dot did not finish within " + timeoutSeconds + " s and was stopped; give --cfg OUT.dot"
                        + " for the DOT text");
                return NfpDisasmTool.BAD_INPUT;
            }
            drainer.join(TimeUnit.SECONDS.toMillis(5)); // the rest of dot's messages (a descendant may hold the pipe: bounded)
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            err.println("nfp-disasm: interrupted while waiting for dot; stopped it");
            return NfpDisasmTool.BAD_INPUT;
        }
        if (p.exitValue() != 0) {
            String text;
            synchronized (messages) {
                text = messages.toString(StandardCharsets.UTF_8).strip();
            }
            err.println("nfp-disasm: dot failed (exit " + p.exitValue() + "): " + SafeText.escape(text));
            return NfpDisasmTool.BAD_INPUT;
        }
        return NfpDisasmTool.OK;
    }

    /**
     * Kills dot and every process it started. With every holder of the pipes gone, the helper
     * threads see a broken pipe and the end of the error stream, and end.
     */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
