package dev.nicoffload.maps;

import dev.nicoffload.ffm.bpf.BpfMapCalls;
import dev.nicoffload.ffm.bpf.MapBuffers;

import java.util.List;

/**
 * The counter words ({@link CounterWord}) of a map's values: read as host-endian unsigned numbers
 * and reset to zero. Obtained from {@link OffloadMap#counters()}.
 * <p>
 * Reads see what the program's atomic adds have summed up (an NFP's driver byte-swaps atomic words
 * for the host, so the numbers are host-endian as on a host map). A reset reads the value, zeroes
 * the counter words, keeps every other byte and writes the value back: adds the program makes
 * between that read and that write are lost, because the data path has no fetch-and-clear.
 * Thread-safe like the map.
 *
 * @param <K> key type of the map
 */
public final class AtomicCounters<K> {

    private final OffloadMap<K, ?> map;
    private final List<CounterWord> words;

    AtomicCounters(OffloadMap<K, ?> map) {
        this.map = map;
        this.words = map.counterWords();
    }

    /** The counter words, in declaration order (the indexes {@link #get(Object, int)} takes). */
    public List<CounterWord> words() {
        return words;
    }

    /**
     * The first counter of {@code key}'s value.
     *
     * @throws dev.nicoffload.offload.error.KeyNotFoundException when the key is absent
     */
    public long get(K key) {
        return get(key, 0);
    }

    /**
     * Counter {@code index} of {@code key}'s value.
     *
     * @throws IndexOutOfBoundsException                         for an index outside {@link #words()}
     * @throws dev.nicoffload.offload.error.KeyNotFoundException when the key is absent
     */
    public long get(K key, int index) {
        CounterWord w = words.get(index);
        MapBuffers b = read(key);
        return b.valueWord(w.offset(), w.size());
    }

    /** Every counter of {@code key}'s value, in declaration order. */
    public long[] getAll(K key) {
        MapBuffers b = read(key);
        long[] out = new long[words.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.valueWord(words.get(i).offset(), words.get(i).size());
        }
        return out;
    }

    /** The sum of counter {@code index} over every entry (e.g. per-port counters in one map). */
    public long sum(int index) {
        words.get(index); // IndexOutOfBoundsException before any system call
        long total = 0;
        for (MapEntry<K, ?> e : map) {
            total += get(e.key(), index);
        }
        return total;
    }

    /**
     * Sets every counter word of {@code key}'s value to zero, keeping its other bytes.
     *
     * @throws dev.nicoffload.offload.error.KeyNotFoundException when the key is absent
     */
    public void reset(K key) {
        MapBuffers b = read(key);
        for (CounterWord w : words) {
            b.clearValueWord(w.offset(), w.size());
        }
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.update(fd, BpfMapCalls.BPF_EXIST, map.host());
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("reset the counters of key " + map.keyCodec().format(key) + " in " + map.label(), -rc);
        }
    }

    /** {@link #reset} for every key of the map. */
    public void resetAll() {
        for (MapEntry<K, ?> e : map) {
            reset(e.key());
        }
    }

    private MapBuffers read(K key) {
        MapBuffers b = MapBuffers.forThread(map.keySize(), map.valueSize());
        map.encodeKey(key, b);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.lookup(fd, map.host());
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("read the counters of key " + map.keyCodec().format(key) + " in " + map.label(), -rc);
        }
        return b;
    }
}
