package dev.nicoffload.jit.elf;

/**
 * The start of a section's instruction lines, up to the instruction text: the address column
 * ({@code "     1a8:\t"}) and the PC prefix ({@code "  .53  "}). The text of one line is kept and
 * counted up to the next line's, digit by digit, instead of being formatted afresh: a listing
 * prints the lines of a section in order, and a short-lived process runs most of them before its
 * code is compiled, where formatting every number from scratch costs more than the disassembly.
 * A line that is not the next one, or whose columns change width, is formatted in full.
 */
final class LinePrefix {
    private final long address;
    private final int width;
    private final long sectionWords;
    private final boolean sharedCodeStore;
    private final int me;
    private final int pcStep;
    private final ListingBuffer text = new ListingBuffer(64);
    /** Where the address column's digits end (the {@code ':'}) and where the PC's {@code '.'} is. */
    private int addressEnd;
    private int dot;
    private long index = -1;

    /**
     * @param address the section's address
     * @param width the address column's width ({@link ObjdumpListing#addressWidth})
     * @param sectionWords the section's length in words (the PC column lines up to it)
     * @param sharedCodeStore whether the ME shares its code store (PCs count in twos)
     * @param me the ME number
     */
    LinePrefix(long address, int width, long sectionWords, boolean sharedCodeStore, int me) {
        this.address = address;
        this.width = width;
        this.sectionWords = sectionWords;
        this.sharedCodeStore = sharedCodeStore;
        this.me = me;
        this.pcStep = sharedCodeStore ? 2 : 1;
    }

    /** Appends the prefix of line {@code i} (the word at {@code address + 8 * i}) to {@code buf}. */
    void append(ListingBuffer buf, int i) {
        if (i != index + 1 || index < 0 || !countUp()) {
            format(i);
        }
        index = i;
        buf.bytes(text.array(), text.size());
    }

    private void format(int i) {
        text.clear();
        text.address(address + 8L * i, width);
        addressEnd = text.size() - 2;
        text.pcPrefix((address >>> 3) + i, sectionWords, sharedCodeStore, me);
        dot = addressEnd + 2;
        byte[] b = text.array();
        while (b[dot] != '.') {
            dot++;
        }
    }

    /** Turns the current text into the next line's; false when the line changes shape (format it then). */
    private boolean countUp() {
        byte[] b = text.array();
        // the PC: decimal digits between the '.' and the two trailing spaces
        int carry = pcStep;
        for (int p = text.size() - 3; carry != 0; p--) {
            if (p == dot) {
                // one digit more: the '.' moves left into the padding, if there is one
                if (b[p - 1] != ' ') {
                    return false;
                }
                b[p - 1] = '.';
                b[p] = (byte) ('0' + carry);
                dot = p - 1;
                break;
            }
            int d = b[p] - '0' + carry;
            carry = d / 10;
            b[p] = (byte) ('0' + d % 10);
        }
        // the address, in hex, grows by 8
        carry = 8;
        for (int p = addressEnd - 1; carry != 0; p--) {
            if (p < 0) {
                return false; // wider than its column: cannot happen, format it to be safe
            }
            byte c = b[p];
            if (c == ' ') {
                b[p] = ListingBuffer.HEX[carry];
                break;
            }
            int d = (c <= '9' ? c - '0' : c - 'a' + 10) + carry;
            carry = d >>> 4;
            b[p] = ListingBuffer.HEX[d & 0xf];
        }
        return true;
    }
}
