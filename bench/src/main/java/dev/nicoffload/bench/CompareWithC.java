package dev.nicoffload.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints the Java/C per-operation ratios from a JMH JSON result file and the C program's output
 * ({@code c.lookup.ns_per_op 123.4} lines), plus the allocation per operation {@code -prof gc} measured.
 */
public final class CompareWithC {

    private static final Pattern BENCH = Pattern.compile("\"benchmark\"\\s*:\\s*\"[^\"]*\\.(\\w+)\"");
    private static final Pattern SCORE = Pattern.compile("\"primaryMetric\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern ALLOC = Pattern.compile("\"gc\\.alloc\\.rate\\.norm\"\\s*:\\s*\\{\\s*\"score\"\\s*:\\s*([0-9.eE+-]+|\"NaN\")");

    private CompareWithC() {
    }

    /**
     * Entry point.
     *
     * @param args the JMH JSON file and the C result file
     * @throws IOException when a file cannot be read
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: CompareWithC jmh-results.json c-results.txt");
            System.exit(2);
        }
        String json = Files.readString(Path.of(args[0]));
        Map<String, Double> score = new HashMap<>();
        Map<String, String> alloc = new HashMap<>();
        // one JSON object per benchmark: split at each "benchmark" key
        String[] parts = json.split("(?=\"benchmark\"\\s*:)");
        for (String part : parts) {
            Matcher b = BENCH.matcher(part);
            Matcher s = SCORE.matcher(part);
            if (b.find() && s.find()) {
                score.put(b.group(1), Double.parseDouble(s.group(1)));
                Matcher a = ALLOC.matcher(part);
                alloc.put(b.group(1), a.find() && !a.group(1).contains("NaN")
                        ? String.format("%.3f", Double.parseDouble(a.group(1))) : "n/a");
            }
        }
        Map<String, Double> c = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[1]))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].startsWith("c.")) {
                c.put(f[0], Double.parseDouble(f[1]));
            }
        }
        System.out.println();
        System.out.printf("%-15s %12s %12s %8s %14s%n", "operation", "java ns/op", "C ns/op", "java/C", "alloc B/op");
        row("numericLookup", score, alloc, c.get("c.lookup.ns_per_op"));
        row("numericUpdate", score, alloc, c.get("c.update.ns_per_op"));
        row("typedLookup", score, alloc, c.get("c.lookup.ns_per_op"));
        row("typedUpdate", score, alloc, c.get("c.update.ns_per_op"));
    }

    private static void row(String name, Map<String, Double> score, Map<String, String> alloc, Double c) {
        Double j = score.get(name);
        if (j == null || c == null) {
            System.out.printf("%-15s %12s%n", name, "missing");
            return;
        }
        System.out.printf("%-15s %12.1f %12.1f %7.3fx %14s%n", name, j, c, j / c, alloc.get(name));
    }
}
