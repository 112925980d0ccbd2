package dev.nicoffload.maps;

import dev.nicoffload.ffm.bpf.MapBuffers;
import dev.nicoffload.ffm.libc.Errno;

/**
 * The fast path of a map whose keys and values are integers of 4 or 8 bytes (host byte order):
 * primitives in, primitives out, no boxing and no allocation per call in the steady state (the
 * calling thread's native buffers are reused). Obtained from {@link OffloadMap#numeric()}; shares
 * its map's checks, counter rule and exceptions, and is thread-safe like it.
 * <p>
 * A 4-byte key or value takes any {@code long} from {@code Integer.MIN_VALUE} to {@code 0xffffffffL}
 * (signed or unsigned spelling of the same 32 bits) and reads back unsigned.
 */
public final class NumericMap {

    private final OffloadMap<?, ?> map;
    private final int keySize;
    private final int valueSize;
    private final boolean host;
    private final java.util.List<CounterWord> counters;

    NumericMap(OffloadMap<?, ?> map) {
        int k = map.keySize();
        int v = map.valueSize();
        if ((k != 4 && k != 8) || (v != 4 && v != 8)) {
            throw new IllegalArgumentException("the numeric view needs 4- or 8-byte keys and values; " + map.label()
                    + " has " + k + "-byte keys and " + v + "-byte values");
        }
        this.map = map;
        this.keySize = k;
        this.valueSize = v;
        this.host = map.host();
        this.counters = map.counterWords();
    }

    /**
     * The value under {@code key}.
     *
     * @throws dev.nicoffload.offload.error.KeyNotFoundException when the key is absent
     */
    public long get(long key) {
        MapBuffers b = keyed(key);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.lookup(fd, host);
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("get key " + key + " from " + map.label(), -rc);
        }
        return b.valueNumber(valueSize);
    }

    /** The value under {@code key}, or {@code absent} when the key is not in the map. */
    public long getOrDefault(long key, long absent) {
        MapBuffers b = keyed(key);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.lookup(fd, host);
        } finally {
            map.releaseFd();
        }
        if (rc == -Errno.ENOENT) {
            return absent;
        }
        if (rc < 0) {
            throw MapErrors.of("look up key " + key + " in " + map.label(), -rc);
        }
        return b.valueNumber(valueSize);
    }

    /** Stores {@code value} under {@code key}, creating or replacing ({@link UpdateMode#ANY}). */
    public void put(long key, long value) {
        update(key, value, UpdateMode.ANY);
    }

    /** Stores {@code value} under {@code key} as {@code mode} says (see {@link OffloadMap#update}). */
    public void update(long key, long value, UpdateMode mode) {
        MapBuffers b = keyed(key);
        check("value", value, valueSize);
        for (int i = 0; i < counters.size(); i++) {
            CounterWord w = counters.get(i);
            // the value is stored in host (little-endian) order: byte offset n holds bits 8n and up
            long word = value >>> (8 * w.offset());
            word = w.size() == 4 ? word & 0xffff_ffffL : word;
            if (word != 0) {
                throw map.counterNotZero(Long.toString(key), w, word);
            }
        }
        b.putValueNumber(valueSize, value);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.update(fd, mode.flags(), host);
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("update key " + key + " in " + map.label() + " (" + mode + ")", -rc);
        }
    }

    /** Deletes {@code key} (see {@link OffloadMap#delete}). */
    public void delete(long key) {
        MapBuffers b = keyed(key);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.delete(fd, host);
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("delete key " + key + " from " + map.label(), -rc);
        }
    }

    private MapBuffers keyed(long key) {
        check("key", key, keySize);
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        b.putKeyNumber(keySize, key);
        return b;
    }

    private void check(String what, long v, int size) {
        if (size == 4 && (v < Integer.MIN_VALUE || v > 0xffff_ffffL)) {
            throw new IllegalArgumentException(what + " " + v + " does not fit the 4-byte " + what + "s of " + map.label());
        }
    }
}
