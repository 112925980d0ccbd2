package dev.nicoffload.bench;

import dev.nicoffload.maps.NumericMap;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.info.MapType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Java and C bursts of the same map calls, alternated on one thread of one CPU: on a machine
 * shared with other work, the load changes faster than a JMH run lasts, so per-op figures of two
 * separate runs are not comparable; adjacent bursts are. The C side is {@code map_ops serve}
 * (libbpf from C); the Java side is {@link NumericMap} after a JIT warm-up. Prints per-op medians
 * and the median of the per-pair ratios.
 */
public final class PairedComparison {

    private PairedComparison() {
    }

    /**
     * Entry point.
     *
     * @param args path of the {@code map_ops} binary, optionally pairs (default 200) and calls per burst (default 20000)
     * @throws IOException when the C program cannot be run
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: PairedComparison MAP_OPS_BINARY [pairs] [calls-per-burst]");
            System.exit(2);
        }
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        Process c = new ProcessBuilder(args[0], "serve").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OffloadMap<Integer, Long> map = OffloadMap.createOnHost(MapType.ARRAY, "paired", Codecs.u32(), Codecs.u64(), 1);
             PrintWriter toC = new PrintWriter(c.getOutputStream(), true, StandardCharsets.US_ASCII);
             BufferedReader fromC = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII))) {
            NumericMap n = map.numeric();
            for (int i = 0; i < 20; i++) { // JIT warm-up of both paths
                javaBurst(n, false, calls / 2);
                javaBurst(n, true, calls / 2);
            }
            for (String op : new String[] {"lookup", "update"}) {
                boolean update = op.equals("update");
                double[] javaNs = new double[pairs];
                double[] cNs = new double[pairs];
                double[] ratio = new double[pairs];
                cBurst(toC, fromC, op, calls); // warm the C side's caches too
                for (int p = 0; p < pairs; p++) {
                    // alternate which side goes first, so a trend in the load favours neither
                    if ((p & 1) == 0) {
                        cNs[p] = cBurst(toC, fromC, op, calls);
                        javaNs[p] = javaBurst(n, update, calls);
                    } else {
                        javaNs[p] = javaBurst(n, update, calls);
                        cNs[p] = cBurst(toC, fromC, op, calls);
                    }
                    ratio[p] = javaNs[p] / cNs[p];
                }
                System.out.printf("paired %-6s: java %.1f ns/op, C %.1f ns/op (medians of %d bursts of %d calls); "
                                + "java/C median %.3fx (quartiles %.3f .. %.3f)%n",
                        op, median(javaNs), median(cNs), pairs, calls, median(ratio), quantile(ratio, 0.25),
                        quantile(ratio, 0.75));
            }
            toC.println("stop 0");
        } finally {
            c.destroy();
        }
    }

    private static double javaBurst(NumericMap n, boolean update, int calls) {
        long t0 = System.nanoTime();
        long sink = 0;
        for (int i = 0; i < calls; i++) {
            if (update) {
                n.put(0, i);
            } else {
                sink += n.get(0);
            }
        }
        long t1 = System.nanoTime();
        if (sink == Long.MIN_VALUE) {
            System.out.print(""); // keeps the lookups alive
        }
        return (t1 - t0) / (double) calls;
    }

    private static double cBurst(PrintWriter toC, BufferedReader fromC, String op, int calls) throws IOException {
        toC.println(op + " " + calls);
        String line = fromC.readLine();
        if (line == null) {
            throw new IOException("the C program ended");
        }
        double v = Double.parseDouble(line.trim());
        if (v < 0) {
            throw new IOException("the C program's " + op + " failed");
        }
        return v;
    }

    private static double median(double[] v) {
        return quantile(v, 0.5);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.min(s.length - 1, Math.round(q * (s.length - 1)))];
    }
}
