package dev.nicoffload.offload.spec;

import dev.nicoffload.offload.info.MapType;
import java.util.Objects;

/**
 * A map as declared in a BPF object, before it is created: from BTF in {@code .maps}, from a legacy
 * {@code struct bpf_map_def} in {@code maps}, or an internal array libbpf would create for a global
 * data section ({@code .data}, {@code .rodata*}, {@code .bss}).
 *
 * @param name       the map's symbol name (or the section name for global data)
 * @param type       the map type
 * @param keySize    key size in bytes
 * @param valueSize  value size in bytes
 * @param maxEntries maximum number of entries
 * @param flags      {@code map_flags} ({@code BPF_F_*})
 * @param numaNode   NUMA node, or -1 when none was requested
 * @param pinning    libbpf pinning mode (0 none, 1 by name)
 * @param globalData whether this is libbpf's internal map for a global data section
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
                      int numaNode, int pinning, boolean globalData) {

    /** {@code BPF_F_RDONLY_PROG}: the program may only read the map (libbpf sets it on {@code .rodata}). */
    public static final int F_RDONLY_PROG = 1 << 7;
    /** {@code BPF_F_MMAPABLE}: libbpf 1.1 sets it on a global data map whose section has a non-static variable. */
    public static final int F_MMAPABLE = 1 << 10;

    /** Validates the fields. */
    public MapSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (keySize < 0 || valueSize < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("negative size in map " + name);
        }
    }

    /** @param n new maximum @return a copy with {@code max_entries} replaced */
    public MapSpec withMaxEntries(int n) {
        return new MapSpec(name, type, keySize, valueSize, n, flags, numaNode, pinning, globalData);
    }

    /** @param f new flags @return a copy with {@code map_flags} replaced */
    public MapSpec withFlags(int f) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, f, numaNode, pinning, globalData);
    }

    /** @param node new NUMA node, -1 for none @return a copy with the NUMA node replaced */
    public MapSpec withNumaNode(int node) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, node, pinning, globalData);
    }

    /** @param t new type @return a copy with the type replaced */
    public MapSpec withType(MapType t) {
        return new MapSpec(name, t, keySize, valueSize, maxEntries, flags, numaNode, pinning, globalData);
    }

    /**
     * @param key   new key size
     * @param value new value size
     * @return a copy with key and value sizes replaced
     */
    public MapSpec withSizes(int key, int value) {
        return new MapSpec(name, type, key, value, maxEntries, flags, numaNode, pinning, globalData);
    }
}
