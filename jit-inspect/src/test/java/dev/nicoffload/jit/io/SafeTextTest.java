package dev.nicoffload.jit.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeTextTest {
    @Test
    void controlCharactersAreEscapedAndPrintableAsciiKept() {
        assertEquals("plain text 0x01 [ok]", SafeText.escape("plain text 0x01 [ok]"));
        assertEquals("\\x1b]0;owned\\x07\\x1b[2J", SafeText.escape("\u001b]0;owned\u0007\u001b[2J"));
        assertEquals("a\\x00b\\x7f\\x9bc\\", SafeText.escape("a\u0000b\u007f\u009bc\\"));
        assertEquals("\\xe9\\u20ac", SafeText.escape("\u00e9\u20ac"));
        byte[] bytes = "x\u001b[31my\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("x\\x1b[31my\\x0d\\x0a", SafeText.escape(bytes, 0, bytes.length));
        assertEquals("line 1\n\tline 2 \\x1b[0m", SafeText.escapeKeepingLines("line 1\n\tline 2 \u001b[0m"));
        String once = SafeText.escape("\u001b[31m\\x41\u00ff");
        assertEquals(once, SafeText.escape(once), "escaping twice changes nothing");
    }
}
