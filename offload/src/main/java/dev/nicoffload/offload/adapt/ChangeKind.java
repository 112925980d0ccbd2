package dev.nicoffload.offload.adapt;

/** The kinds of edit the {@link Adapter} makes, each reported as a {@link Change}. */
public enum ChangeKind {
    /** A {@code PERCPU_ARRAY}/{@code PERCPU_HASH} map made shared ({@code ARRAY}/{@code HASH}). */
    PERCPU_TO_SHARED,
    /** A load/add/store of a value word rewritten into an atomic add. */
    ATOMIC_ADD,
    /** A load from {@code .rodata} at a constant offset replaced by the constant. */
    RODATA_FOLD,
    /** A {@code .bss}/{@code .data} counter moved into a one-element ARRAY map ({@code nico_bss}/{@code nico_data}): lookup of key 0 and an atomic add (instructions inserted). */
    GLOBAL_COUNTER_TO_MAP,
    /** {@code BPF_F_NO_PREALLOC} removed from a map's flags. */
    DROP_NO_PREALLOC,
    /** {@code LRU_HASH}/{@code LRU_PERCPU_HASH} → {@code HASH} (changes meaning: no eviction). */
    LRU_TO_HASH,
    /** {@code TC_ACT_OK} → {@code TC_ACT_UNSPEC} on a TC return path (changes meaning). */
    TC_OK_TO_UNSPEC
}
