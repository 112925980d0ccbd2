package dev.nicoffload.jit.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The counted-up line prefixes against the same columns formatted from scratch (the formatting the
 * firmware oracle test checks against objdump), across the places where a column gains a digit.
 */
class LinePrefixTest {

    /** Section address, length in words, shared code store, ME number. */
    private static final long[][] SECTIONS = {
        {0, 12_000, 0, 0},          // PC 9 -> 10 -> ... -> 10000, address 0xff8 -> 0x1000 -> 0x10000
        {0, 12_000, 1, 0},          // shared code store, even ME: PCs count 0, 2, 4 ...
        {0, 12_000, 1, 1},          // odd ME: 1, 3, 5 ... (9 -> 11 gains a digit in a step of two)
        {0, 1, 0, 0},
        {0xff0, 40, 0, 0},          // a section at an address: PC numbers start at address / 8
        {0x7ff8, 3_000, 1, 1},
        {0x1_0000_0000L, 200, 0, 0}, // a high address: PC numbers pass the section's length, no padding left
        {0xfff_fff8L, 5, 0, 0},     // the address column at its widest before the next width
    };

    @Test
    void countingUpMatchesFormattingEachLine() {
        for (long[] s : SECTIONS) {
            long address = s[0];
            int words = (int) s[1];
            boolean shared = s[2] == 1;
            int me = (int) s[3];
            int width = ObjdumpListing.addressWidth(address + 8L * words);
            LinePrefix prefix = new LinePrefix(address, width, words, shared, me);
            for (int i = 0; i < words; i++) {
                assertEquals(formatted(address, width, words, shared, me, i), appended(prefix, i),
                        "section at 0x" + Long.toHexString(address) + " line " + i);
            }
        }
    }

    @Test
    void linesOutOfOrderAreFormattedInFull() {
        SplittableRandom rnd = new SplittableRandom(6000);
        long address = 0x2000;
        int words = 20_000;
        int width = ObjdumpListing.addressWidth(address + 8L * words);
        LinePrefix prefix = new LinePrefix(address, width, words, true, 1);
        int i = 0;
        for (int k = 0; k < 5_000; k++) {
            // mostly the next line (the fast path), sometimes a jump either way, as a copied section does
            i = rnd.nextInt(4) == 0 ? rnd.nextInt(words) : Math.min(i + 1, words - 1);
            assertEquals(formatted(address, width, words, true, 1, i), appended(prefix, i), "line " + i);
        }
    }

    private static String appended(LinePrefix prefix, int i) {
        ListingBuffer buf = new ListingBuffer(64);
        prefix.append(buf, i);
        return text(buf);
    }

    private static String formatted(long address, int width, long words, boolean shared, int me, int i) {
        ListingBuffer buf = new ListingBuffer(64);
        buf.address(address + 8L * i, width);
        buf.pcPrefix((address >>> 3) + i, words, shared, me);
        return text(buf);
    }

    private static String text(ListingBuffer buf) {
        return new String(buf.array(), 0, buf.size(), StandardCharsets.ISO_8859_1);
    }
}
