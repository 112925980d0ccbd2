package dev.nicoffload.jit.tool;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.elf.ContextMode;
import dev.nicoffload.jit.elf.NfpElfFile;
import dev.nicoffload.jit.elf.ObjdumpListing;
import dev.nicoffload.jit.io.InputFiles;
import dev.nicoffload.jit.io.SafeText;
import dev.nicoffload.jit.isa.NfpDisassembler;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The logic of the {@code nfp-disasm} command: NFP microcode disassembly with the output of GNU
 * objdump 2.40.
 *
 * <pre>
 * nfp-disasm [--ctx4|--ctx8] [--3rdparty32] [--pc] --words   16-hex-digit words on stdin, one per line
 * nfp-disasm [--ctx4|--ctx8] FILE                              an NFP ELF file, as objdump -d -z -m nfp --no-show-raw-insn
 * nfp-disasm [--ctx4|--ctx8] [--3rdparty32] --raw FILE         a raw little-endian image, as one .text section
 * nfp-disasm --cfg OUT --raw FILE                              the control-flow graph of a JIT image (DOT; SVG via Graphviz)
 * </pre>
 *
 * Exit codes: 0 success, 1 bad input (unreadable or malformed file or word), 2 usage error.
 * Input files are read only when they are regular files of at most {@link InputFiles#MAX_BYTES}
 * (64 MiB); with {@code --pc} at most {@link #MAX_PC_WORDS} words are read. Messages echo input
 * only with control characters escaped ({@link SafeText}), and no exception leaves {@link #run}.
 */
public final class NfpDisasmTool {
    /** Success. */
    public static final int OK = 0;
    /** Bad input file or word. */
    public static final int BAD_INPUT = 1;
    /** Usage error. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: nfp-disasm [--ctx4|--ctx8] [--3rdparty32] [--pc] --words
                   nfp-disasm [--ctx4|--ctx8] FILE
                   nfp-disasm [--ctx4|--ctx8] [--3rdparty32] --raw FILE
              --words       read 16-hex-digit words from stdin, one per line; print one line per word
              --pc          with --words: print objdump's PC prefix (the words form one section)
              --ctx4        4-context register numbering (objdump -M ctx4)
              --ctx8        8-context register numbering; overrides --ctx4 and the file's settings
              --3rdparty32  32-bit third-party addressing (MiscControl bit 4)
              --raw FILE    FILE is a raw little-endian image: print the lines of one .text section
              FILE          an NFP ELF file (.nffw): print what objdump -d -z -m nfp --no-show-raw-insn prints
              --cfg OUT     with --raw: write the control-flow graph of the JIT image instead of a listing;
                            OUT ending in .svg is rendered by Graphviz's dot, '-' is DOT on stdout, else a DOT file
            """;

    /**
     * The largest read or write handed to the JDK's file streams: up to 8 KiB they use a buffer on the
     * stack, above it one from malloc for each call.
     */
    static final int IO_CHUNK = InputFiles.IO_CHUNK;

    /** The most words {@code --pc --words} reads (it holds them all): as many as the 64 MiB file bound holds. */
    static final int MAX_PC_WORDS = InputFiles.MAX_BYTES / 8;

    private NfpDisasmTool() {}

    /**
     * Runs the command as a process of its own and exits with its code; the module alone is enough:
     * {@code java -p nicoffload-jit-inspect.jar -m dev.nicoffload.jit/dev.nicoffload.jit.tool.NfpDisasmTool ARGS}.
     * (The {@code ./nicoffload nfp-disasm} launcher starts it this way.)
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // straight to file descriptor 1 through one buffer (System.out would add a second layer)
        PrintStream out = new PrintStream(new ChunkedOutput(new FileOutputStream(FileDescriptor.out)),
                false, StandardCharsets.UTF_8);
        int code = run(args, System.in, out, System.err);
        out.flush();
        if (code != OK) {
            System.exit(code);
        }
        // on success just return (the worker threads are daemons): System.exit would first set up
        // the platform logging that reports exits, some 60 classes, a cost in a short-lived process
    }

    /**
     * Runs the command on the process's standard streams ({@link System#out} buffered).
     *
     * @param args command-line arguments
     * @return the exit code
     */
    public static int runOnStandardStreams(String[] args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(System.out, 1 << 16), false, StandardCharsets.UTF_8);
        try {
            return run(args, System.in, out, System.err);
        } finally {
            out.flush();
        }
    }

    /**
     * Runs the command.
     *
     * @param args command-line arguments (without the command name)
     * @param in standard input (used by {@code --words})
     * @param out standard output
     * @param err standard error (messages)
     * @return the exit code: {@link #OK}, {@link #BAD_INPUT} or {@link #USAGE}
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        try {
            return parseAndRun(args, in, out, err);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // a defect, not bad input; still one line, never a stack trace
            out.flush();
            err.println("nfp-disasm: internal error: " + e.getClass().getSimpleName() + ": " + SafeText.escape(String.valueOf(e.getMessage())));
            return BAD_INPUT;
        }
    }

    private static int parseAndRun(String[] args, InputStream in, PrintStream out, PrintStream err) {
        boolean ctx4 = false;
        boolean ctx8 = false;
        boolean third = false;
        boolean pc = false;
        boolean words = false;
        boolean raw = false;
        String file = null;
        String cfg = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--cfg" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--cfg needs an output file (OUT.svg, OUT.dot or -)");
                    }
                    cfg = args[++i];
                }
                case "--ctx4" -> ctx4 = true;
                case "--ctx8" -> ctx8 = true;
                case "--3rdparty32" -> third = true;
                case "--pc" -> pc = true;
                case "--words" -> words = true;
                case "--raw" -> raw = true;
                case "-h", "--help" -> {
                    out.print(USAGE_TEXT);
                    out.flush();
                    return OK;
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        return usage(err, "unknown option " + SafeText.escape(a));
                    }
                    if (file != null) {
                        return usage(err, "more than one file given: " + SafeText.escape(file) + ", " + SafeText.escape(a));
                    }
                    file = a;
                }
            }
        }
        if (words && (file != null || raw)) {
            return usage(err, "--words reads stdin and takes no file");
        }
        if (!words && file == null) {
            return usage(err, raw ? "--raw needs a FILE" : "give --words or a FILE");
        }
        if (pc && !words) {
            return usage(err, "--pc applies to --words (file listings always carry the PC prefix)");
        }
        if (file != null && !raw && third) {
            return usage(err, "--3rdparty32 applies to --words and --raw (an ELF file sets it per ME)");
        }
        if (cfg != null && !raw) {
            return usage(err, "--cfg applies to --raw FILE (a JIT image)");
        }
        boolean fourContexts = ctx4 && !ctx8;
        try {
            if (words) {
                return words(in, out, err, NfpDisassembler.of(fourContexts, third), pc);
            }
            if (cfg == null) {
                // the decoder's tables are built on another core while this one reads and parses
                Thread tables = new Thread(new Preload(), "nfp-tables");
                tables.setDaemon(true);
                tables.start();
            }
            byte[] bytes;
            try {
                bytes = readFile(Path.of(file));
            } catch (IOException | java.nio.file.InvalidPathException e) {
                err.println("nfp-disasm: " + SafeText.escape(file) + ": " + SafeText.escape(String.valueOf(e.getMessage())));
                return BAD_INPUT;
            }
            if (cfg != null) {
                return CfgOutput.write(file, bytes, cfg, out, err);
            }
            if (raw) {
                return raw(file, bytes, out, err, NfpDisassembler.of(fourContexts, third));
            }
            if (!NfpElfFile.looksLikeElf(bytes)) {
                err.println("nfp-disasm: " + SafeText.escape(file) + ": not an ELF file (use --raw for a raw image)");
                return BAD_INPUT;
            }
            NfpElfFile elf = NfpElfFile.parse(bytes);
            ObjdumpListing.writeBytes(elf, file, out, ctx8 ? ContextMode.EIGHT : ctx4 ? ContextMode.FOUR : ContextMode.FROM_FILE);
            flush(out);
            return OK;
        } catch (NfpFormatException e) {
            out.flush();
            err.println("nfp-disasm: " + (file != null ? SafeText.escape(file) + ": " : "") + SafeText.escape(String.valueOf(e.getMessage())));
            return BAD_INPUT;
        } catch (IOException e) {
            err.println("nfp-disasm: " + SafeText.escape(String.valueOf(e.getMessage())));
            return BAD_INPUT;
        }
    }

    /** Reads a whole input file with the size bound of {@link InputFiles#read}. */
    static byte[] readFile(Path path) throws IOException {
        return InputFiles.read(path);
    }

    /** Flushes {@code out}; a PrintStream keeps write errors to itself, so ask it. */
    private static void flush(PrintStream out) throws IOException {
        out.flush();
        if (out.checkError()) {
            throw new IOException("error writing output");
        }
    }

    private static int usage(PrintStream err, String message) {
        err.println("nfp-disasm: " + message);
        err.print(USAGE_TEXT);
        err.flush();
        return USAGE;
    }

    private static int raw(String file, byte[] bytes, PrintStream out, PrintStream err, NfpDisassembler dis)
            throws IOException {
        long[] w = new long[bytes.length / 8];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(w);
        ObjdumpListing.writeSectionLineBytes(w, bytes.length % 8, dis, out);
        flush(out);
        if (bytes.length % 8 != 0) {
            err.println("nfp-disasm: " + file + ": length " + bytes.length + " is not a multiple of 8; the last "
                    + bytes.length % 8 + " bytes are not an instruction");
            return BAD_INPUT;
        }
        return OK;
    }

    private static int words(InputStream in, PrintStream out, PrintStream err, NfpDisassembler dis, boolean pc)
            throws IOException {
        WordReader reader = new WordReader(in);
        StreamSink sink = new StreamSink(out);
        if (!pc) {
            try (WordListing listing = new WordListing(dis, sink, false, 0)) {
                try {
                    while (reader.next()) {
                        listing.add(reader.word);
                    }
                } catch (NfpFormatException e) {
                    listing.finish(); // the good lines before the bad one
                    sink.flush();
                    err.println("nfp-disasm: stdin: " + e.getMessage());
                    return BAD_INPUT;
                }
                listing.finish();
            }
            sink.flush();
            return OK;
        }
        // with the PC prefix the width depends on the word count: read everything first
        long[] all = new long[1024];
        int count = 0;
        try {
            while (reader.next()) {
                if (count == all.length) {
                    if (count >= MAX_PC_WORDS) {
                        err.println("nfp-disasm: stdin: more than " + MAX_PC_WORDS + " words; --pc reads them all first and stops"
                                + " at the " + InputFiles.MAX_TEXT + " input limit (without --pc the words stream through)");
                        return BAD_INPUT;
                    }
                    all = Arrays.copyOf(all, Math.min(count * 2, MAX_PC_WORDS));
                }
                all[count++] = reader.word;
            }
        } catch (NfpFormatException e) {
            err.println("nfp-disasm: stdin: " + e.getMessage());
            return BAD_INPUT;
        }
        try (WordListing listing = new WordListing(dis, sink, true, count)) {
            for (int i = 0; i < count; i++) {
                listing.add(all[i]);
            }
            listing.finish();
        }
        sink.flush();
        return OK;
    }

    /**
     * Parses lines of exactly 16 hex digits (surrounding blanks and CR allowed, blank lines skipped).
     * A line longer than {@code MAX_LINE} bytes is an error as soon as it gets that long (input
     * without newlines is not read on), and the line is echoed with control characters escaped.
     */
    static final class WordReader {
        private static final int MAX_LINE = 64;
        private final InputStream in;
        private final byte[] buf = new byte[IO_CHUNK];
        private final byte[] lineBuf = new byte[MAX_LINE];
        private int pos;
        private int end;
        private boolean eof;
        private long line;
        long word;

        WordReader(InputStream in) {
            this.in = in;
        }

        /** Reads the next word into {@link #word}; false at end of input. */
        boolean next() throws IOException {
            while (true) {
                int len = 0;
                int c;
                boolean sawAny = false;
                while ((c = read()) >= 0 && c != '\n') {
                    sawAny = true;
                    if (len < MAX_LINE) {
                        lineBuf[len++] = (byte) c;
                    } else {
                        line++;
                        throw bad(0, len, true);
                    }
                }
                if (!sawAny && c < 0) {
                    return false;
                }
                line++;
                int from = 0;
                int to = len;
                while (from < to && isBlank(lineBuf[from])) {
                    from++;
                }
                while (to > from && isBlank(lineBuf[to - 1])) {
                    to--;
                }
                if (from == to) {
                    continue;
                }
                if (to - from != 16) {
                    throw bad(from, to, false);
                }
                long v = 0;
                for (int i = from; i < to; i++) {
                    int d = Character.digit(lineBuf[i], 16);
                    if (d < 0) {
                        throw bad(from, to, false);
                    }
                    v = v << 4 | d;
                }
                word = v;
                return true;
            }
        }

        private NfpFormatException bad(int from, int to, boolean tooLong) {
            String text = SafeText.escape(lineBuf, from, to);
            return new NfpFormatException("line " + line + ": expected a word of 16 hex digits, got '" + text
                    + (tooLong ? "...'" : "'"));
        }

        private static boolean isBlank(byte b) {
            return b == ' ' || b == '\t' || b == '\r';
        }

        private int read() throws IOException {
            if (pos == end) {
                if (eof) {
                    return -1;
                }
                end = in.read(buf, 0, buf.length);
                pos = 0;
                if (end <= 0) {
                    eof = true;
                    end = 0;
                    return -1;
                }
            }
            return buf[pos++] & 0xff;
        }
    }

    /** An Appendable that writes ASCII text to a PrintStream in large chunks. */
    static final class StreamSink implements Appendable {
        private final PrintStream out;

        StreamSink(PrintStream out) {
            this.out = out;
        }

        @Override
        public Appendable append(CharSequence csq) throws IOException {
            // String.getBytes on Latin-1 text is a plain array copy
            out.write(csq.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (out.checkError()) {
                throw new IOException("error writing output");
            }
            return this;
        }

        @Override
        public Appendable append(CharSequence csq, int start, int endIndex) throws IOException {
            return append(csq.subSequence(start, endIndex));
        }

        @Override
        public Appendable append(char c) throws IOException {
            out.write(c);
            return this;
        }

        void flush() {
            out.flush();
        }
    }

    /**
     * Buffers a byte stream and writes it on in pieces of {@link #IO_CHUNK} bytes (see there why),
     * however large the writes it is given.
     */
    static final class ChunkedOutput extends OutputStream {
        private final OutputStream out;
        private final byte[] buf = new byte[IO_CHUNK];
        private int count;

        ChunkedOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            if (count == buf.length) {
                drain();
            }
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (count == 0 && len >= buf.length) {
                    out.write(b, off, buf.length); // whole pieces go straight from the caller's array
                    off += buf.length;
                    len -= buf.length;
                    continue;
                }
                int n = Math.min(len, buf.length - count);
                System.arraycopy(b, off, buf, count, n);
                count += n;
                off += n;
                len -= n;
                if (count == buf.length) {
                    drain();
                }
            }
        }

        private void drain() throws IOException {
            if (count > 0) {
                out.write(buf, 0, count);
                count = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            drain();
            out.flush();
        }
    }

    /** Builds the disassembler's tables (a class, not a lambda: a lambda costs a cold process its bootstrap). */
    private static final class Preload implements Runnable {
        @Override
        public void run() {
            NfpDisassembler.preload();
        }
    }
}
