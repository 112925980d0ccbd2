package dev.nicoffload.it.samples;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * Evaluates a {@code .jsh} sample the way {@code jshell --execution local} does, in this JVM
 * (the test class path is the samples' class path): snippet by snippet, failing on the first
 * snippet that does not compile or throws, and returns what the script printed.
 */
final class JShellScript {
    private JShellScript() {
    }

    /** The project's {@code samples/jshell} directory, found from this class's location (integration-tests/target/test-classes). */
    static Path samplesDirectory() throws Exception {
        Path testClasses = Path.of(JShellScript.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return testClasses.getParent().getParent().getParent().resolve("samples/jshell");
    }

    /** Runs {@code samples/jshell/NAME.jsh}; returns its standard output. */
    static synchronized String run(String name) throws Exception {
        String text = Files.readString(samplesDirectory().resolve(name + ".jsh"));
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
        try (JShell shell = JShell.builder().executionEngine("local").out(capture).err(capture).build()) {
            shell.addToClasspath(System.getProperty("java.class.path"));
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            String rest = withoutCommands(text);
            System.setOut(capture);
            while (!rest.isBlank()) {
                SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
                if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                    break; // only comments left
                }
                if (!info.completeness().isComplete()) {
                    throw new AssertionError(name + ".jsh: incomplete snippet at end: " + rest);
                }
                eval(shell, name, info.source());
                rest = info.remaining();
            }
        } finally {
            System.setOut(oldOut);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        oldOut.print("--- " + name + ".jsh printed:\n" + printed);
        return printed;
    }

    private static void eval(JShell shell, String name, String source) {
        for (SnippetEvent e : shell.eval(source)) {
            if (e.causeSnippet() != null) {
                continue; // a consequence of an earlier snippet, not this one
            }
            if (e.exception() != null) {
                AssertionError failure = new AssertionError(name + ".jsh: snippet threw " + e.exception() + "\n" + source);
                failure.initCause(e.exception());
                throw failure;
            }
            if (e.status() != Snippet.Status.VALID) {
                List<String> diags = new ArrayList<>();
                shell.diagnostics(e.snippet()).forEach((Diag d) -> diags.add(d.getMessage(null)));
                throw new AssertionError(name + ".jsh: snippet is " + e.status() + " " + diags + "\n" + source);
            }
        }
    }

    /** The script without its jshell commands ({@code /exit} and the like): they are not Java. */
    private static String withoutCommands(String text) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            String t = line.strip();
            boolean command = t.startsWith("/") && !t.startsWith("//") && !t.startsWith("/*");
            sb.append(command ? "" : line).append('\n');
        }
        return sb.toString();
    }
}
