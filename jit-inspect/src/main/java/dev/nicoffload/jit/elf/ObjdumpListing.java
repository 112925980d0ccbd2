package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints NFP code in the layout of {@code objdump -d -z -m nfp --no-show-raw-insn}: the file
 * header, one block per code section (heading, section label, one line per word with address and
 * PC prefix) and the error lines objdump prints for partial words and invalid island/ME numbers.
 *
 * <p>Firmware files load nearly the same code into many MEs. Sections with the same address,
 * length and ME settings are therefore listed from the first of them: runs of lines whose words
 * are the same are written straight from the first one's text, only the differing words are
 * disassembled. Large files are listed on several
 * threads and written in order.
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
        write(file, displayName, new Sink(out, null), mode);
    }

    /**
     * Writes the whole listing of {@code file} to a byte stream (the text is ASCII), the fastest
     * way to print it. The stream is not flushed or closed.
     */
    public static void writeBytes(NfpElfFile file, String displayName, OutputStream out, ContextMode mode)
            throws IOException {
        write(file, displayName, new Sink(null, out), mode);
    }

    /**
     * Writes the instruction lines of one {@code .text} section at address 0 holding {@code words}
     * (plus {@code trailingBytes} bytes of a partial word), for an ME without shared code store.
     */
    public static void writeSectionLines(long[] words, int trailingBytes, NfpDisassembler dis, Appendable out)
            throws IOException {
        writeSectionLines(words, trailingBytes, dis, new Sink(out, null));
    }

    /** As {@link #writeSectionLines(long[], int, NfpDisassembler, Appendable)}, to a byte stream. */
    public static void writeSectionLineBytes(long[] words, int trailingBytes, NfpDisassembler dis, OutputStream out)
            throws IOException {
        writeSectionLines(words, trailingBytes, dis, new Sink(null, out));
    }

    private static void writeSectionLines(long[] words, int trailingBytes, NfpDisassembler dis, Sink out)
            throws IOException {
        ListingBuffer buf = new ListingBuffer(FLUSH_AT + 256);
        Section s = new Section(words, trailingBytes, 0, dis, false, 0);
        s.lines(buf, new WordTexts(), null, out);
        out.write(buf);
    }

    private static void write(NfpElfFile file, String displayName, Sink out, ContextMode mode) throws IOException {
        List<CodeSection> sections = file.codeSections();
        ListingBuffer buf = new ListingBuffer(FLUSH_AT + 256);
        buf.newline().ascii(displayName).ascii(":     file format elf64-nfp\n\n");
        // plan: each section is listed on its own or from the first section of the same shape
        List<Section> plan = new ArrayList<>(sections.size());
        Map<Shape, Section> firstOfShape = new HashMap<>();
        for (CodeSection cs : sections) {
            Section s = Section.of(cs, mode);
            if (s.shape != null) {
                Section first = firstOfShape.putIfAbsent(s.shape, s);
                if (first != null) {
                    s.base = first;
                    first.keep = true;
                }
            }
            plan.add(s);
        }
        int threads = Math.min(Runtime.getRuntime().availableProcessors(), MAX_THREADS);
        if (threads < 2 || sections.size() < 2 || file.wordCount() < PARALLEL_MIN_WORDS) {
            WordTexts texts = new WordTexts();
            for (Section s : plan) {
                if (s.keep || s.base != null) {
                    // kept whole for others to copy from, or copied from one: rendered on its own
                    out.write(buf);
                    buf.clear();
                    s.render(texts).writeTo(out);
                } else {
                    s.render(buf, texts, out); // streams out through buf
                    if (buf.size() >= FLUSH_AT) {
                        out.write(buf);
                        buf.clear();
                    }
                }
            }
            out.write(buf);
            return;
        }
        out.write(buf);
        // Large files: sections that others are listed from go first, so that a section waiting for
        // its base only ever waits for one that a worker has already taken.
        Section[] order = new Section[plan.size()];
        int n = 0;
        for (Section s : plan) {
            if (s.base == null) {
                order[n++] = s;
            }
        }
        for (Section s : plan) {
            if (s.base != null) {
                order[n++] = s;
            }
        }
        Workers workers = new Workers(order);
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(workers, "nfp-listing"); // a constant: a string concatenation costs a cold process its bootstrap
            worker.setDaemon(true);
            worker.start();
        }
        try {
            for (Section s : plan) {
                s.awaitText().writeTo(out);
                if (!s.keep) {
                    s.rendered = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing");
        } finally {
            workers.cancelled = true;
        }
    }

    /**
     * The listing threads: each takes the next section in order until none is left (plain threads
     * and a counter; an executor's machinery costs a short-lived process more than it does here).
     */
    private static final class Workers implements Runnable {
        private final Section[] order;
        private final AtomicInteger next = new AtomicInteger();
        volatile boolean cancelled;

        Workers(Section[] order) {
            this.order = order;
        }

        @Override
        public void run() {
            WordTexts texts = new WordTexts();
            int i;
            while (!cancelled && (i = next.getAndIncrement()) < order.length) {
                Section s = order[i];
                try {
                    if (s.base != null) {
                        s.base.awaitText(); // taken earlier: being rendered or done
                    }
                    s.done(s.render(texts), null);
                } catch (Throwable e) {
                    s.done(null, e);
                }
            }
        }
    }

    /**
     * What makes two sections' lines comparable word by word: same address and size (so the same
     * address column and PC numbers), same disassembler settings and PC numbering. (A plain class:
     * a record's equals and hashCode are bootstrapped on first use, which a short-lived process feels.)
     */
    private static final class Shape {
        private final long address;
        private final long size;
        private final int settings;

        Shape(long address, long size, boolean fourContexts, boolean thirdParty32, boolean sharedCodeStore, int oddMe) {
            this.address = address;
            this.size = size;
            this.settings = (fourContexts ? 8 : 0) | (thirdParty32 ? 4 : 0) | (sharedCodeStore ? 2 : 0) | oddMe;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shape s && s.address == address && s.size == size && s.settings == settings;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(address * 31 + size) * 16 + settings;
        }
    }

    /** One section of the listing and, once rendered, its text. */
    private static final class Section {
        final String name;
        final long[] words;
        final int trailingBytes;
        final long address;
        final NfpDisassembler dis; // null: objdump prints "Invalid island or me."
        final boolean sharedCodeStore;
        final int me;
        final Shape shape;
        Section base;
        boolean keep;
        /** Set once by the worker that renders this section (with {@link #failure} on failure). */
        private SectionText rendered;
        private Throwable failure;
        private boolean finished;
        ListingBuffer text;
        int linesStart;
        int[] lineEnds;

        /** A bare run of lines (no heading). */
        Section(long[] words, int trailingBytes, long address, NfpDisassembler dis, boolean sharedCodeStore, int me) {
            this(null, words, trailingBytes, address, dis, sharedCodeStore, me);
        }

        private Section(String name, long[] words, int trailingBytes, long address, NfpDisassembler dis,
                        boolean sharedCodeStore, int me) {
            this.name = name;
            this.words = words;
            this.trailingBytes = trailingBytes;
            this.address = address;
            this.dis = dis;
            this.sharedCodeStore = sharedCodeStore;
            this.me = me;
            this.shape = dis == null || name == null ? null : new Shape(address, 8L * words.length + trailingBytes,
                    dis.fourContexts(), dis.thirdParty32(), sharedCodeStore, sharedCodeStore ? me & 1 : 0);
        }

        static Section of(CodeSection s, ContextMode mode) {
            if (!s.hasValidDomain()) {
                return new Section(s.name(), s.wordsNoCopy(), s.trailingBytes(), s.address(), null, false, s.meNumber());
            }
            MeConfig cfg = s.config();
            NfpDisassembler dis = switch (mode) {
                case FROM_FILE -> cfg.disassembler();
                case FOUR -> NfpDisassembler.of(true, cfg.thirdParty32());
                case EIGHT -> NfpDisassembler.of(false, cfg.thirdParty32());
            };
            return new Section(s.name(), s.wordsNoCopy(), s.trailingBytes(), s.address(), dis, cfg.sharedCodeStore(),
                    s.meNumber());
        }

        synchronized void done(SectionText text, Throwable error) {
            rendered = text;
            failure = error;
            finished = true;
            notifyAll();
        }

        /** Waits until a worker has rendered this section; its failure, if it failed, is thrown here. */
        synchronized SectionText awaitText() throws IOException, InterruptedException {
            while (!finished) {
                wait();
            }
            if (failure instanceof IOException io) {
                throw io;
            }
            if (failure instanceof InterruptedException ie) {
                throw ie;
            }
            if (failure != null) {
                throw new IllegalStateException("listing " + name + " failed", failure);
            }
            return rendered;
        }

        int expectedBytes() {
            return (int) Math.min(Integer.MAX_VALUE / 2, 128 + 56L * words.length);
        }

        long size() {
            return 8L * words.length + trailingBytes;
        }

        /** Renders this section on its own: kept whole when others are listed from it, else as pieces. */
        SectionText render(WordTexts texts) throws IOException {
            ListingBuffer own = new ListingBuffer(base == null ? expectedBytes() : 4096);
            if (base == null) {
                render(own, texts, null);
                return new SectionText(own, null).own(0, own.size());
            }
            SectionText t = new SectionText(own, base.text);
            heading(own);
            t.own(0, own.size());
            int width = addressWidth(address + size());
            LinePrefix prefix = linePrefix(width);
            long[] other = base.words;
            int n = words.length;
            int i = 0;
            while (i < n) {
                if (words[i] == other[i]) {
                    int j = i + 1;
                    while (j < n && words[j] == other[j]) {
                        j++;
                    }
                    t.base(i == 0 ? base.linesStart : base.lineEnds[i - 1], base.lineEnds[j - 1]);
                    i = j;
                } else {
                    int from = own.size();
                    line(own, texts, prefix, i);
                    t.own(from, own.size());
                    i++;
                }
            }
            if (trailingBytes != 0) {
                int from = own.size();
                trailingLine(own, width);
                t.own(from, own.size());
            }
            return t;
        }

        /**
         * Appends this section's block (heading, label and every line) to {@code buf}. With
         * {@code out} non-null, a large buffer is written out on the way (for a section nobody is
         * listed from); a section others are listed from records where its lines end.
         */
        void render(ListingBuffer buf, WordTexts texts, Sink out) throws IOException {
            heading(buf);
            if (dis == null) {
                buf.address(address, addressWidth(address + size()));
                buf.ascii("Invalid island or me.").ascii(NfpDisassembler.ERROR_SUFFIX).newline();
                return;
            }
            if (keep) {
                text = buf;
                linesStart = buf.size();
                lineEnds = new int[words.length];
            }
            lines(buf, texts, lineEnds, out);
        }

        private void heading(ListingBuffer buf) {
            buf.ascii("\nDisassembly of section ").ascii(name).ascii(":\n\n");
            buf.address16(address);
            buf.ascii(" <").ascii(name).ascii(">:\n");
        }

        private void trailingLine(ListingBuffer buf, int width) {
            buf.address(address + 8L * words.length, width);
            buf.ascii(NfpDisassembler.ERROR_SUFFIX).newline();
        }

        /** Appends every line of the section's words; records where each ends when {@code ends} is given. */
        void lines(ListingBuffer buf, WordTexts texts, int[] ends, Sink out) throws IOException {
            int width = addressWidth(address + size());
            LinePrefix prefix = linePrefix(width);
            for (int i = 0; i < words.length; i++) {
                line(buf, texts, prefix, i);
                if (ends != null) {
                    ends[i] = buf.size();
                } else if (out != null && buf.size() >= FLUSH_AT) {
                    out.write(buf);
                    buf.clear();
                }
            }
            if (trailingBytes != 0) {
                trailingLine(buf, width);
            }
        }

        private LinePrefix linePrefix(int width) {
            return new LinePrefix(address, width, size() >>> 3, sharedCodeStore, me);
        }

        private void line(ListingBuffer buf, WordTexts texts, LinePrefix prefix, int i) {
            prefix.append(buf, i);
            texts.append(dis, words[i], buf);
            buf.newline();
        }
    }

    /**
     * A rendered section as pieces in order: ranges of its own buffer and, for a section listed
     * from a base section, ranges of the base's text (written from there, never copied).
     */
    private static final class SectionText {
        private final ListingBuffer own;
        private final ListingBuffer base;
        private int[] pieces = new int[3 * 16]; // (1 = from base, start, end) per piece
        private int count;

        SectionText(ListingBuffer own, ListingBuffer base) {
            this.own = own;
            this.base = base;
        }

        SectionText own(int start, int end) {
            return add(0, start, end);
        }

        SectionText base(int start, int end) {
            return add(1, start, end);
        }

        private SectionText add(int fromBase, int start, int end) {
            int last = 3 * (count - 1);
            if (count > 0 && pieces[last] == fromBase && pieces[last + 2] == start) {
                pieces[last + 2] = end; // continues the previous piece
                return this;
            }
            if (3 * count == pieces.length) {
                pieces = java.util.Arrays.copyOf(pieces, pieces.length * 2);
            }
            pieces[3 * count] = fromBase;
            pieces[3 * count + 1] = start;
            pieces[3 * count + 2] = end;
            count++;
            return this;
        }

        void writeTo(Sink out) throws IOException {
            for (int i = 0; i < count; i++) {
                out.write(pieces[3 * i] == 1 ? base : own, pieces[3 * i + 1], pieces[3 * i + 2]);
            }
        }
    }

    /** Where the listing goes: an {@link Appendable} or a byte stream. */
    private record Sink(Appendable chars, OutputStream bytes) {
        void write(ListingBuffer buf) throws IOException {
            write(buf, 0, buf.size());
        }

        void write(ListingBuffer buf, int start, int end) throws IOException {
            if (bytes != null) {
                buf.writeTo(bytes, start, end);
            } else {
                buf.appendTo(chars, start, end);
            }
        }
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
}
