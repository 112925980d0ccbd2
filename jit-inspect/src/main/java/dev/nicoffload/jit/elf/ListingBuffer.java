package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.isa.NfpDisassembler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable buffer of listing text as Latin-1 bytes (objdump's NFP listing is ASCII), with the
 * few formatting steps a listing line needs. Working in bytes lets a listing go to a stream
 * without a char-to-byte pass and lets repeated lines be copied as byte ranges.
 */
final class ListingBuffer {
    /** Hex digits as bytes (also used by {@link LinePrefix}). */
    static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private byte[] bytes;
    private int size;

    ListingBuffer(int capacity) {
        bytes = new byte[Math.max(64, capacity)];
    }

    int size() {
        return size;
    }

    void clear() {
        size = 0;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long want = Math.max((long) bytes.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new OutOfMemoryError("listing section larger than 2 GB");
            }
            bytes = Arrays.copyOf(bytes, (int) want);
        }
    }

    ListingBuffer ascii(CharSequence s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) s.charAt(i);
        }
        return this;
    }

    ListingBuffer bytes(byte[] b) {
        return bytes(b, b.length);
    }

    /** Appends the first {@code length} bytes of {@code b}. */
    ListingBuffer bytes(byte[] b, int length) {
        ensure(length);
        System.arraycopy(b, 0, bytes, size, length);
        size += length;
        return this;
    }

    /** The bytes themselves (valid up to {@link #size()}; replaced when the buffer grows). */
    byte[] array() {
        return bytes;
    }

    ListingBuffer newline() {
        ensure(1);
        bytes[size++] = '\n';
        return this;
    }

    /** {@code address} in hex, right-aligned in {@code width} columns, then {@code ":\t"}. */
    void address(long address, int width) {
        int digits = address == 0 ? 1 : (67 - Long.numberOfLeadingZeros(address)) / 4;
        ensure(Math.max(width, digits) + 2);
        for (int i = digits; i < width; i++) {
            bytes[size++] = ' ';
        }
        for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
            bytes[size++] = HEX[(int) (address >>> shift) & 0xf];
        }
        bytes[size++] = ':';
        bytes[size++] = '\t';
    }

    /** {@code address} in hex, zero-padded to 16 digits. */
    void address16(long address) {
        ensure(16);
        for (int shift = 60; shift >= 0; shift -= 4) {
            bytes[size++] = HEX[(int) (address >>> shift) & 0xf];
        }
    }

    /** objdump's PC prefix, as {@link NfpDisassembler#appendPcPrefix} writes it (here straight as bytes). */
    void pcPrefix(long index, long sectionWords, boolean sharedCodeStore, int meNumber) {
        int pad = NfpDisassembler.pcPadding(index, sectionWords, sharedCodeStore, meNumber);
        long pc = NfpDisassembler.pcNumber(index, sharedCodeStore, meNumber);
        int digits = NfpDisassembler.decimalDigits(pc);
        // pad is negative when a section at a high address numbers past its own length: no spaces then
        ensure(Math.max(pad, 0) + digits + 3);
        for (int i = 0; i < pad; i++) {
            bytes[size++] = ' ';
        }
        bytes[size++] = '.';
        for (int i = digits - 1; i >= 0; i--) {
            bytes[size + i] = (byte) ('0' + pc % 10);
            pc /= 10;
        }
        size += digits;
        bytes[size++] = ' ';
        bytes[size++] = ' ';
    }

    /** Writes bytes {@code [start, end)}. */
    void writeTo(OutputStream out, int start, int end) throws IOException {
        out.write(bytes, start, end - start);
    }

    /** Appends bytes {@code [start, end)} as characters. */
    void appendTo(Appendable out, int start, int end) throws IOException {
        out.append(new String(bytes, start, end - start, StandardCharsets.ISO_8859_1));
    }
}
