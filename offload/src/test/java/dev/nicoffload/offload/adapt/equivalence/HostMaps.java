package dev.nicoffload.offload.adapt.equivalence;

import dev.nicoffload.ffm.bpf.BpfMapCalls;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.BpfMap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;

/**
 * Reads and writes whole host maps for the equivalence harness, per-CPU maps included (one value per
 * possible CPU, each rounded up to 8 bytes, as {@code bpf_map_lookup_elem} returns them).
 */
final class HostMaps {
    /** The errno of a lookup/next-key that ran past the end (ENOENT). */
    private static final int ENOENT = 2;
    /** At most this many entries are read from one map: the corpus maps are small, a runaway is a bug. */
    private static final int MAX_ENTRIES = 1 << 16;

    private HostMaps() {
    }

    /** The number of possible CPUs ({@code /sys/devices/system/cpu/possible}), the per-CPU value count. */
    static int possibleCpus() {
        try {
            String s = Files.readString(Path.of("/sys/devices/system/cpu/possible")).strip();
            int n = 0;
            for (String part : s.split(",")) {
                String[] r = part.split("-");
                n += r.length == 1 ? 1 : Integer.parseInt(r[1]) - Integer.parseInt(r[0]) + 1;
            }
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean perCpu(BpfMap m) {
        return m.type() == MapType.PERCPU_ARRAY || m.type() == MapType.PERCPU_HASH || m.type() == MapType.LRU_PERCPU_HASH;
    }

    /** Bytes of one value as lookup returns it: one stride per CPU for a per-CPU map. */
    static int lookupSize(BpfMap m, int cpus) {
        return perCpu(m) ? stride(m) * cpus : m.valueSize();
    }

    static int stride(BpfMap m) {
        return (m.valueSize() + 7) & ~7;
    }

    /**
     * Whether userspace can read the map's elements: maps of file descriptors (perf event arrays,
     * XSKMAPs, program arrays, ...) answer lookups with EOPNOTSUPP or ENOTSUPP, or hold fds as values.
     */
    static boolean readable(BpfMap m) {
        if (m.type() == null) {
            return false;
        }
        return switch (m.type()) {
            case PERF_EVENT_ARRAY, PROG_ARRAY, XSKMAP, RINGBUF, CGROUP_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS, SOCKMAP, SOCKHASH,
                 STACK_TRACE -> false;
            default -> true;
        };
    }

    /** Every entry: key (hex) → value bytes as lookup returns them, in key order. */
    static TreeMap<String, byte[]> dump(BpfMap m, int cpus) {
        TreeMap<String, byte[]> out = new TreeMap<>();
        int vsize = lookupSize(m, cpus);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment key = a.allocate(Math.max(1, m.keySize()), 8);
            MemorySegment next = a.allocate(Math.max(1, m.keySize()), 8);
            MemorySegment value = a.allocate(Math.max(1, vsize), 8);
            if (m.type() == MapType.ARRAY || m.type() == MapType.PERCPU_ARRAY) {
                // every index 0..max_entries-1 exists: no get_next_key round trip per entry
                for (int i = 0; i < m.maxEntries(); i++) {
                    key.set(ValueLayout.JAVA_INT, 0, i);
                    int rc = BpfMapCalls.lookup(m.fd(), key.address(), value.address(), true);
                    if (rc < 0) {
                        throw new IllegalStateException("lookup on map " + m.name() + " index " + i + ": errno " + -rc);
                    }
                    out.put(HexFormat.of().formatHex(key.toArray(ValueLayout.JAVA_BYTE)), value.asSlice(0, vsize).toArray(ValueLayout.JAVA_BYTE));
                }
                return out;
            }
            boolean first = true;
            while (true) {
                int rc = BpfMapCalls.nextKey(m.fd(), first ? 0 : key.address(), next.address(), true);
                if (rc == -ENOENT) {
                    return out;
                }
                if (rc < 0) {
                    throw new IllegalStateException("get_next_key on map " + m.name() + ": errno " + -rc);
                }
                first = false;
                key.copyFrom(next);
                rc = BpfMapCalls.lookup(m.fd(), key.address(), value.address(), true);
                if (rc == -ENOENT) {
                    continue; // deleted in between: cannot happen here (no program runs meanwhile), tolerated
                }
                if (rc < 0) {
                    throw new IllegalStateException("lookup on map " + m.name() + ": errno " + -rc);
                }
                out.put(HexFormat.of().formatHex(key.toArray(ValueLayout.JAVA_BYTE)), value.asSlice(0, vsize).toArray(ValueLayout.JAVA_BYTE));
                if (out.size() > MAX_ENTRIES) {
                    throw new IllegalStateException("map " + m.name() + " has more than " + MAX_ENTRIES + " entries");
                }
            }
        }
    }

    /** {@code bpf_map_update_elem(key, value, BPF_ANY)}; {@code value} as lookup returns it. */
    static void update(BpfMap m, byte[] key, byte[] value) {
        if (key.length != m.keySize()) {
            throw new IllegalArgumentException("map " + m.name() + ": key of " + key.length + " bytes, map has " + m.keySize());
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment k = a.allocate(Math.max(1, key.length), 8);
            k.copyFrom(MemorySegment.ofArray(key));
            MemorySegment v = a.allocate(Math.max(1, value.length), 8);
            v.copyFrom(MemorySegment.ofArray(value));
            int rc = BpfMapCalls.update(m.fd(), k.address(), v.address(), BpfMapCalls.BPF_ANY, true);
            if (rc < 0) {
                throw new IllegalStateException("update on map " + m.name() + ": errno " + -rc);
            }
        }
    }

    /** Little-endian unsigned word of {@code width} bytes at {@code offset}. */
    static long word(byte[] b, int offset, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = v << 8 | (b[offset + i] & 0xff);
        }
        return v;
    }

    static void putWord(byte[] b, int offset, int width, long v) {
        for (int i = 0; i < width; i++) {
            b[offset + i] = (byte) (v >>> (8 * i));
        }
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static List<BpfMap> named(List<BpfMap> maps, String name) {
        return maps.stream().filter(m -> m.name().equals(name)).toList();
    }
}
