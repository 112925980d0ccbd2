package dev.nicoffload.jit.io;

/**
 * Input text made safe to echo in a message on a terminal: every byte or character that is not
 * printable ASCII (control characters, including ESC, DEL and the C1 range, and anything above
 * 0x7e) is written as {@code \xNN} ({@code \\u} with four digits above 0xff), so input cannot
 * move the cursor, change colours or retitle the terminal. The result is printable ASCII, so
 * escaping it again changes nothing: a message may pass through several layers that each escape.
 */
public final class SafeText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SafeText() {}

    /**
     * @param text any text
     * @return the text with everything but printable ASCII escaped
     */
    public static String escape(CharSequence text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            append(sb, text.charAt(i));
        }
        return sb.toString();
    }

    /**
     * {@link #escape(CharSequence)}, but newlines and tabs stay as they are: for multi-line text
     * such as a verifier log that may quote input.
     *
     * @param text any text
     * @return the text with everything but printable ASCII, newlines and tabs escaped
     */
    public static String escapeKeepingLines(CharSequence text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\t') {
                sb.append(c);
            } else {
                append(sb, c);
            }
        }
        return sb.toString();
    }

    /**
     * @param bytes input bytes (each one a character, as ISO-8859-1)
     * @param from  first index
     * @param to    end index (exclusive)
     * @return the bytes as text with everything but printable ASCII escaped
     */
    public static String escape(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from + 8);
        for (int i = from; i < to; i++) {
            append(sb, (char) (bytes[i] & 0xff));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, char c) {
        if (c >= 0x20 && c < 0x7f) {
            sb.append(c);
        } else if (c <= 0xff) {
            sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xf]);
        } else {
            sb.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
        }
    }
}
