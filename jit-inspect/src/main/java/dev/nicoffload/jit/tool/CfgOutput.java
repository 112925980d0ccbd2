package dev.nicoffload.jit.tool;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.cfg.ControlFlowGraph;
import dev.nicoffload.jit.image.JitImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** {@code nfp-disasm --cfg OUT}: writes a JIT image's control-flow graph as DOT, or as SVG through Graphviz. */
final class CfgOutput {
    /** How long Graphviz may take for one graph. */
    private static final long DOT_TIMEOUT_SECONDS = 120;

    private CfgOutput() {}

    static int write(String file, byte[] bytes, String target, PrintStream out, PrintStream err)
            throws NfpFormatException {
        JitImage image = JitImage.of(bytes);
        String dot = ControlFlowGraph.of(image).toDot(Path.of(file).getFileName() + ": " + image);
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
            return renderSvg(dot, dest, err);
        } catch (IOException e) {
            err.println("nfp-disasm: " + target + ": cannot write: " + e.getMessage());
            return NfpDisasmTool.BAD_INPUT;
        }
    }

    private static int renderSvg(String dot, Path dest, PrintStream err) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder("dot", "-Tsvg", "-o", dest.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            err.println("nfp-disasm: cannot run Graphviz's dot (" + e.getMessage()
                    + "): install graphviz, or give --cfg OUT.dot and render it elsewhere");
            return NfpDisasmTool.BAD_INPUT;
        }
        try (OutputStream in = p.getOutputStream()) {
            in.write(dot.getBytes(StandardCharsets.UTF_8));
        }
        String messages;
        try (InputStream e = p.getErrorStream()) {   // read before waiting: a full pipe would stall dot
            messages = new String(e.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        try {
            if (!p.waitFor(DOT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                err.println("nfp-disasm: dot did not finish within " + DOT_TIMEOUT_SECONDS + " s");
                return NfpDisasmTool.BAD_INPUT;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            err.println("nfp-disasm: interrupted while waiting for dot");
            return NfpDisasmTool.BAD_INPUT;
        }
        if (p.exitValue() != 0) {
            err.println("nfp-disasm: dot failed (exit " + p.exitValue() + "): " + messages);
            return NfpDisasmTool.BAD_INPUT;
        }
        return NfpDisasmTool.OK;
    }
}
