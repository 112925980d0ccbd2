package dev.nicoffload.jit.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@code nfp-disasm --words}: what it echoes of bad input, and how much of it it reads. */
class WordsInputTest {
    private static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(c -> c < 0x20 && c != '\n' || c == 0x7f || c >= 0x80 && c < 0xa0);
    }

    @Test
    void controlCharactersOfABadLineAreEscapedNotEchoed() {
        String evil = "\u001b]0;owned\u0007\u001b[2J\u009b31m00f0000c0300\r";
        NfpDisasmToolTest.Run r = NfpDisasmToolTest.run("000000f0000c0300\n" + evil + "\n", "--words");
        assertEquals(1, r.rc());
        // before: the line went to the terminal as it was (title change, screen clear)
        assertFalse(hasControlCharacter(r.err()), r.err());
        assertEquals("nfp-disasm: stdin: line 2: expected a word of 16 hex digits, got '\\x1b]0;owned\\x07\\x1b[2J\\x9b31m00f0000c0300'\n", r.err());
        NfpDisasmToolTest.Run pc = NfpDisasmToolTest.run("\u0007\n", "--pc", "--words");
        assertEquals("nfp-disasm: stdin: line 1: expected a word of 16 hex digits, got '\\x07'\n", pc.err());
    }

    @Test
    void zeroXInsideAWordIsNoPrefix() {
        NfpDisasmToolTest.Run r = NfpDisasmToolTest.run("010x000000000000\n", "--words");
        assertEquals(1, r.rc());
        assertTrue(r.err().contains("got '010x000000000000'"), r.err());
    }

    /** A stream of NUL bytes without a newline, counting what is read from it. */
    static final class Zeros extends InputStream {
        long remaining;
        long read;

        Zeros(long size) {
            remaining = size;
        }

        @Override
        public int read() {
            if (remaining == 0) {
                return -1;
            }
            remaining--;
            read++;
            return 0;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            java.util.Arrays.fill(b, off, off + n, (byte) 0);
            remaining -= n;
            read += n;
            return n;
        }
    }

    @Test
    void aLineWithoutEndIsRefusedAfterItsFirstBytes() {
        // as `nfp-disasm --words < /dev/zero` gives it: before, the whole stream was read looking for
        // the newline (for /dev/zero, for ever)
        Zeros zeros = new Zeros(64L << 20);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = NfpDisasmTool.run(new String[] {"--words"}, zeros, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, rc);
        assertTrue(zeros.read <= NfpDisasmTool.IO_CHUNK, zeros.read + " bytes read");
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.startsWith("nfp-disasm: stdin: line 1: expected a word of 16 hex digits, got '\\x00\\x00"), message);
        assertTrue(message.endsWith("...'\n"), message);
    }
}
