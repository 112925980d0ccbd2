package dev.nicoffload.jit.tool;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Disassembles a stream of words into lines, in chunks: the first chunk on the calling thread,
 * later chunks on worker threads, written in input order with a bounded number in flight.
 */
final class WordListing implements AutoCloseable {
    static final int CHUNK = 1 << 15;
    private static final int MAX_THREADS = 4;

    private final NfpDisassembler dis;
    private final Appendable out;
    private final boolean pc;
    private final long total;
    private final int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
    private final ArrayDeque<Future<StringBuilder>> inFlight = new ArrayDeque<>();
    private ExecutorService pool;
    private long[] chunk = new long[CHUNK];
    private int fill;
    private long index;

    /**
     * @param pc whether to print the PC prefix
     * @param total number of words of the whole section (only used with {@code pc})
     */
    WordListing(NfpDisassembler dis, Appendable out, boolean pc, long total) {
        this.dis = dis;
        this.out = out;
        this.pc = pc;
        this.total = total;
    }

    void add(long word) throws IOException {
        chunk[fill++] = word;
        if (fill == CHUNK) {
            submit();
        }
    }

    /** Writes everything added so far, in order. */
    void finish() throws IOException {
        if (fill > 0) {
            submit();
        }
        while (!inFlight.isEmpty()) {
            writeHead();
        }
    }

    private void submit() throws IOException {
        Render task = new Render(dis, chunk, fill, index, total, pc);
        index += fill;
        chunk = new long[CHUNK];
        fill = 0;
        if (threads < 2) {
            out.append(task.call());
            return;
        }
        if (pool == null) {
            pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("nfp-disasm").daemon(true).factory());
        }
        inFlight.add(pool.submit(task));
        if (inFlight.size() > 2 * threads) {
            writeHead();
        }
    }

    private void writeHead() throws IOException {
        try {
            out.append(inFlight.removeFirst().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while disassembling");
        } catch (ExecutionException e) {
            throw new IllegalStateException("disassembly failed", e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /** Renders one chunk of words (a named class, not a lambda: lambdas cost start-up time). */
    private record Render(NfpDisassembler dis, long[] words, int count, long first, long total, boolean pc)
            implements Callable<StringBuilder> {
        @Override
        public StringBuilder call() {
            StringBuilder sb = new StringBuilder(count * 48);
            for (int i = 0; i < count; i++) {
                if (pc) {
                    NfpDisassembler.appendPcPrefix(sb, first + i, total, false, 0);
                }
                dis.disassemble(words[i], sb);
                sb.append('\n');
            }
            return sb;
        }
    }
}
