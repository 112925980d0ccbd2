package dev.nicoffload.offload.spec;

/** The kernel's {@code enum bpf_map_type} (uapi numbers up to Linux 6.9, so newer objects still parse). */
public enum MapType {
    UNSPEC(0),
    /** 1: offloadable to NFP. */
    HASH(1),
    /** 2: offloadable to NFP. */
    ARRAY(2),
    PROG_ARRAY(3),
    /** 4: stays on the host but may be used by an offloaded program (offload-neutral). */
    PERF_EVENT_ARRAY(4),
    PERCPU_HASH(5), PERCPU_ARRAY(6), STACK_TRACE(7), CGROUP_ARRAY(8), LRU_HASH(9),
    LRU_PERCPU_HASH(10), LPM_TRIE(11), ARRAY_OF_MAPS(12), HASH_OF_MAPS(13), DEVMAP(14), SOCKMAP(15),
    CPUMAP(16), XSKMAP(17), SOCKHASH(18), CGROUP_STORAGE(19), REUSEPORT_SOCKARRAY(20),
    PERCPU_CGROUP_STORAGE(21), QUEUE(22), STACK(23), SK_STORAGE(24), DEVMAP_HASH(25), STRUCT_OPS(26),
    RINGBUF(27), INODE_STORAGE(28), TASK_STORAGE(29), BLOOM_FILTER(30), USER_RINGBUF(31),
    CGRP_STORAGE(32), ARENA(33);

    private static final MapType[] BY_VALUE = values();

    private final int value;

    MapType(int value) {
        this.value = value;
    }

    /** @return the uapi number passed as {@code map_type} to {@code BPF_MAP_CREATE} */
    public int value() {
        return value;
    }

    /**
     * @param value a uapi map type number
     * @return the matching constant
     * @throws IllegalArgumentException if the number is unknown
     */
    public static MapType of(int value) {
        if (value < 0 || value >= BY_VALUE.length) {
            throw new IllegalArgumentException("unknown BPF map type " + value);
        }
        return BY_VALUE[value];
    }
}
