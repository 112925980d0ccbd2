package dev.nicoffload.offload.info;

/** BPF map types of the 6.1 uapi ({@code enum bpf_map_type}). */
public enum MapType {
    /** {@code BPF_MAP_TYPE_UNSPEC} (0). */
    UNSPEC(0),
    /** {@code BPF_MAP_TYPE_HASH} (1). */
    HASH(1),
    /** {@code BPF_MAP_TYPE_ARRAY} (2). */
    ARRAY(2),
    /** {@code BPF_MAP_TYPE_PROG_ARRAY} (3). */
    PROG_ARRAY(3),
    /** {@code BPF_MAP_TYPE_PERF_EVENT_ARRAY} (4). */
    PERF_EVENT_ARRAY(4),
    /** {@code BPF_MAP_TYPE_PERCPU_HASH} (5). */
    PERCPU_HASH(5),
    /** {@code BPF_MAP_TYPE_PERCPU_ARRAY} (6). */
    PERCPU_ARRAY(6),
    /** {@code BPF_MAP_TYPE_STACK_TRACE} (7). */
    STACK_TRACE(7),
    /** {@code BPF_MAP_TYPE_CGROUP_ARRAY} (8). */
    CGROUP_ARRAY(8),
    /** {@code BPF_MAP_TYPE_LRU_HASH} (9). */
    LRU_HASH(9),
    /** {@code BPF_MAP_TYPE_LRU_PERCPU_HASH} (10). */
    LRU_PERCPU_HASH(10),
    /** {@code BPF_MAP_TYPE_LPM_TRIE} (11). */
    LPM_TRIE(11),
    /** {@code BPF_MAP_TYPE_ARRAY_OF_MAPS} (12). */
    ARRAY_OF_MAPS(12),
    /** {@code BPF_MAP_TYPE_HASH_OF_MAPS} (13). */
    HASH_OF_MAPS(13),
    /** {@code BPF_MAP_TYPE_DEVMAP} (14). */
    DEVMAP(14),
    /** {@code BPF_MAP_TYPE_SOCKMAP} (15). */
    SOCKMAP(15),
    /** {@code BPF_MAP_TYPE_CPUMAP} (16). */
    CPUMAP(16),
    /** {@code BPF_MAP_TYPE_XSKMAP} (17). */
    XSKMAP(17),
    /** {@code BPF_MAP_TYPE_SOCKHASH} (18). */
    SOCKHASH(18),
    /** {@code BPF_MAP_TYPE_CGROUP_STORAGE} (19). */
    CGROUP_STORAGE(19),
    /** {@code BPF_MAP_TYPE_REUSEPORT_SOCKARRAY} (20). */
    REUSEPORT_SOCKARRAY(20),
    /** {@code BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE} (21). */
    PERCPU_CGROUP_STORAGE(21),
    /** {@code BPF_MAP_TYPE_QUEUE} (22). */
    QUEUE(22),
    /** {@code BPF_MAP_TYPE_STACK} (23). */
    STACK(23),
    /** {@code BPF_MAP_TYPE_SK_STORAGE} (24). */
    SK_STORAGE(24),
    /** {@code BPF_MAP_TYPE_DEVMAP_HASH} (25). */
    DEVMAP_HASH(25),
    /** {@code BPF_MAP_TYPE_STRUCT_OPS} (26). */
    STRUCT_OPS(26),
    /** {@code BPF_MAP_TYPE_RINGBUF} (27). */
    RINGBUF(27),
    /** {@code BPF_MAP_TYPE_INODE_STORAGE} (28). */
    INODE_STORAGE(28),
    /** {@code BPF_MAP_TYPE_TASK_STORAGE} (29). */
    TASK_STORAGE(29),
    /** {@code BPF_MAP_TYPE_BLOOM_FILTER} (30). */
    BLOOM_FILTER(30),
    /** {@code BPF_MAP_TYPE_USER_RINGBUF} (31). */
    USER_RINGBUF(31);

    private final int value;

    MapType(int value) {
        this.value = value;
    }

    /** The kernel's numeric value ({@code enum bpf_map_type}). */
    public int value() {
        return value;
    }

    /** The constant for a kernel value; {@code null} when this library does not know it (newer kernel). */
    public static MapType of(int value) {
        for (MapType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        return null;
    }
}
