package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.nio.charset.StandardCharsets;

/**
 * A bounded memo of instruction texts for one listing thread: firmware files load nearly the same
 * code into every ME (one real file has 188,000 code words but only 15,500 different instruction
 * texts), so each distinct word is disassembled once per disassembler setting. Open addressing on
 * the word, at most half full, growing from 4,096 to 65,536 slots. When a table is full it takes no new words; if by then fewer than a
 * quarter of the lookups were hits (words that rarely repeat, such as random data), it is bypassed
 * altogether. Not thread-safe: one instance per thread.
 */
final class WordTexts {
    private static final int FIRST_BITS = 12;
    private static final int MAX_BITS = 16;
    private static final int MAX_ENTRIES = (1 << MAX_BITS) / 2;

    /** One table per disassembler setting: index = fourContexts * 2 + thirdParty32. */
    private final Table[] tables = new Table[4];
    private final StringBuilder scratch = new StringBuilder(96);

    /** Appends the text of {@code word} under {@code dis} (what {@link NfpDisassembler#disassemble(long, StringBuilder)} gives). */
    void append(NfpDisassembler dis, long word, ListingBuffer out) {
        int setting = (dis.fourContexts() ? 2 : 0) + (dis.thirdParty32() ? 1 : 0);
        Table t = tables[setting];
        if (t == null) {
            t = tables[setting] = new Table();
        }
        if (t.bypass) {
            scratch.setLength(0);
            dis.disassemble(word, scratch);
            out.ascii(scratch);
            return;
        }
        t.lookups++;
        int slot = t.find(word);
        byte[] text = t.texts[slot];
        if (text == null) {
            text = render(dis, word);
            if (t.size >= MAX_ENTRIES) {
                t.bypass = t.hits < t.lookups / 4;
                out.bytes(text);
                return;
            }
            if (2 * (t.size + 1) > t.texts.length) {
                t.grow();
                slot = t.find(word);
            }
            t.words[slot] = word;
            t.texts[slot] = text;
            t.size++;
        } else {
            t.hits++;
        }
        out.bytes(text);
    }

    private byte[] render(NfpDisassembler dis, long word) {
        scratch.setLength(0);
        dis.disassemble(word, scratch);
        return scratch.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final class Table {
        int bits = FIRST_BITS;
        long[] words = new long[1 << FIRST_BITS];
        byte[][] texts = new byte[1 << FIRST_BITS][];
        int size;
        long lookups;
        long hits;
        boolean bypass;

        /** The slot holding {@code word}, or the empty slot where it belongs. */
        int find(long word) {
            int mask = texts.length - 1;
            int slot = (int) ((word * 0x9E3779B97F4A7C15L) >>> (64 - bits));
            while (texts[slot] != null && words[slot] != word) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        /** Doubles the table (it never grows past {@code MAX_BITS}: it stops taking words first). */
        void grow() {
            long[] oldWords = words;
            byte[][] oldTexts = texts;
            bits++;
            words = new long[1 << bits];
            texts = new byte[1 << bits][];
            for (int i = 0; i < oldTexts.length; i++) {
                if (oldTexts[i] != null) {
                    int slot = find(oldWords[i]);
                    words[slot] = oldWords[i];
                    texts[slot] = oldTexts[i];
                }
            }
        }
    }
}
