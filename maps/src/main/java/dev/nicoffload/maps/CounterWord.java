package dev.nicoffload.maps;

/**
 * A 4- or 8-byte word of a map value that the BPF program updates only with an atomic add
 * ({@code __sync_fetch_and_add}, {@code BPF_ATOMIC | BPF_ADD}): a packet or byte counter.
 * <p>
 * <b>The NIC rule (offload-facts §1.8).</b> The NFP's atomic engine is big-endian; the driver
 * byte-swaps atomic words when the host reads or writes them, and refuses to make a word atomic
 * once it has held a value that is not byte-swap-neutral ({@code [nfp] atomic counter in map value
 * may already be initialized to non-zero value}). Counters therefore start at zero: a map declared
 * with counter words refuses to write anything but zero into them, and
 * {@link AtomicCounters#reset} is the way to clear them.
 *
 * @param offset byte offset in the value, a multiple of {@code size}
 * @param size   4 or 8
 */
public record CounterWord(int offset, int size) {

    /** Validates the word. */
    public CounterWord {
        if (size != 4 && size != 8) {
            throw new IllegalArgumentException("a counter word is 4 or 8 bytes, not " + size);
        }
        if (offset < 0 || offset % size != 0) {
            throw new IllegalArgumentException("a " + size + "-byte counter must sit at a multiple of " + size
                    + " (atomic adds need natural alignment), not at offset " + offset);
        }
    }

    /** A {@code __u32} counter at {@code offset}. */
    public static CounterWord u32(int offset) {
        return new CounterWord(offset, 4);
    }

    /** A {@code __u64} counter at {@code offset}. */
    public static CounterWord u64(int offset) {
        return new CounterWord(offset, 8);
    }

    boolean overlaps(CounterWord other) {
        return offset < other.offset + other.size && other.offset < offset + size;
    }
}
