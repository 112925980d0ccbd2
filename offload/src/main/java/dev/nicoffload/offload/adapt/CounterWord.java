package dev.nicoffload.offload.adapt;

/**
 * A word of a map value that the adapted program only ever adds to atomically.
 *
 * @param offset byte offset in the value
 * @param width  4 or 8 bytes
 */
public record CounterWord(int offset, int width) {

    /** Checks the fields. */
    public CounterWord {
        if (offset < 0 || (width != 4 && width != 8)) throw new IllegalArgumentException("counter word " + offset + "/" + width);
    }
}
