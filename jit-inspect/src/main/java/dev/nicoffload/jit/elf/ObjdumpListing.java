package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;

/**
 * Prints NFP code in the layout of {@code objdump -d -z -m nfp --no-show-raw-insn}: the file
 * header, one block per code section (heading, section label, one line per word with address and
 * PC prefix) and the error lines objdump prints for partial words and invalid island/ME numbers.
 */
public final class ObjdumpListing {
    private static final int FLUSH_AT = 1 << 16;
    private static final int MAX_THREADS = 4;
    private static final long PARALLEL_MIN_WORDS = 20_000;

    private ObjdumpListing() {}

    /**
     * Writes the whole listing of {@code file}, as objdump prints it for the path {@code displayName}.
     */
    public static void write(NfpElfFile file, String displayName, Appendable out) throws IOException {
        write(file, displayName, out, ContextMode.FROM_FILE);
    }

    /**
     * Writes the whole listing of {@code file} with the number of contexts chosen by {@code mode}
     * (objdump's {@code -M ctx4} / {@code -M ctx8}).
     */
    public static void write(NfpElfFile file, String displayName, Appendable out, ContextMode mode)
            throws IOException {
        List<CodeSection> sections = file.codeSections();
        out.append(new StringBuilder().append('\n').append(displayName).append(":     file format elf64-nfp\n\n"));
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        if (threads < 2 || sections.size() < 2 || file.wordCount() < PARALLEL_MIN_WORDS) {
            StringBuilder sb = new StringBuilder(FLUSH_AT + 256);
            for (CodeSection s : sections) {
                appendSection(s, mode, sb, out);
            }
            out.append(sb);
            return;
        }
        // Large files: render sections on several threads, write them in order from this one.
        ExecutorService pool = Executors.newFixedThreadPool(threads, new DaemonThreads());
        try {
            List<Future<StringBuilder>> parts = new ArrayList<>(sections.size());
            for (CodeSection s : sections) {
                parts.add(pool.submit(new SectionTask(s, mode)));
            }
            for (int i = 0; i < parts.size(); i++) {
                out.append(parts.get(i).get());
                parts.set(i, null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("listing failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Renders one section into its own buffer (no lambdas: they cost a short-lived process start-up time). */
    private record SectionTask(CodeSection section, ContextMode mode) implements Callable<StringBuilder> {
        @Override
        public StringBuilder call() throws IOException {
            StringBuilder sb = new StringBuilder((int) Math.min(Integer.MAX_VALUE / 2, 64 + 56L * section.wordCount()));
            appendSection(section, mode, sb, null);
            return sb;
        }
    }

    /** Daemon worker threads, so that a listing never keeps a process alive. */
    private static final class DaemonThreads implements ThreadFactory {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "nfp-listing");
            t.setDaemon(true);
            return t;
        }
    }

    /** Appends one section's block; with {@code out} non-null, flushes to it when the buffer is large. */
    private static void appendSection(CodeSection s, ContextMode mode, StringBuilder sb, Appendable out)
            throws IOException {
        sb.append("\nDisassembly of section ").append(s.name()).append(":\n\n");
        appendLabel(sb, s.address(), s.name());
        if (!s.hasValidDomain()) {
            appendAddress(sb, s.address(), addressWidth(s.address() + s.size()));
            sb.append("Invalid island or me.").append(NfpDisassembler.ERROR_SUFFIX).append('\n');
            return;
        }
        MeConfig cfg = s.config();
        NfpDisassembler dis = switch (mode) {
            case FROM_FILE -> cfg.disassembler();
            case FOUR -> NfpDisassembler.of(true, cfg.thirdParty32());
            case EIGHT -> NfpDisassembler.of(false, cfg.thirdParty32());
        };
        writeLines(s.wordsNoCopy(), s.trailingBytes(), s.address(), dis, cfg.sharedCodeStore(), s.meNumber(), sb, out);
    }

    /**
     * Writes the instruction lines of one {@code .text} section at address 0 holding {@code words}
     * (plus {@code trailingBytes} bytes of a partial word), for an ME without shared code store.
     */
    public static void writeSectionLines(long[] words, int trailingBytes, NfpDisassembler dis, Appendable out)
            throws IOException {
        StringBuilder sb = new StringBuilder(FLUSH_AT + 256);
        writeLines(words, trailingBytes, 0, dis, false, 0, sb, out);
        out.append(sb);
    }

    private static void writeLines(long[] words, int trailingBytes, long address, NfpDisassembler dis,
                                   boolean scs, int me, StringBuilder sb, Appendable out) throws IOException {
        long size = 8L * words.length + trailingBytes;
        int width = addressWidth(address + size);
        for (int i = 0; i < words.length; i++) {
            appendAddress(sb, address + 8L * i, width);
            NfpDisassembler.appendPcPrefix(sb, (address >>> 3) + i, size >>> 3, scs, me);
            dis.disassemble(words[i], sb);
            sb.append('\n');
            if (out != null && sb.length() >= FLUSH_AT) {
                out.append(sb);
                sb.setLength(0);
            }
        }
        if (trailingBytes != 0) {
            appendAddress(sb, address + 8L * words.length, width);
            sb.append(NfpDisassembler.ERROR_SUFFIX).append('\n');
        }
    }

    private static void appendLabel(StringBuilder sb, long address, String name) {
        String hex = Long.toHexString(address);
        for (int i = hex.length(); i < 16; i++) {
            sb.append('0');
        }
        sb.append(hex).append(" <").append(name).append(">:\n");
    }

    /**
     * objdump drops leading zero digits of the section's end address in groups of four, always
     * keeping at least one zero: sections ending below 0x1000 get 4 columns, below 0x10000000 8.
     */
    static int addressWidth(long end) {
        int zeros = Long.numberOfLeadingZeros(end) / 4;
        if (end == 0) {
            zeros = 16;
        }
        int skip = zeros == 0 ? 0 : (zeros - 1) / 4 * 4;
        return 16 - skip;
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static void appendAddress(StringBuilder sb, long address, int width) {
        int digits = address == 0 ? 1 : (67 - Long.numberOfLeadingZeros(address)) / 4;
        for (int i = digits; i < width; i++) {
            sb.append(' ');
        }
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            sb.append(HEX[(int) (address >>> shift) & 0xf]);
        }
        sb.append(":\t");
    }
}
