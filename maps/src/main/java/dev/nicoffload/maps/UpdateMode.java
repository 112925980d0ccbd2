package dev.nicoffload.maps;

/** How an update treats an existing key: the {@code flags} of {@code BPF_MAP_UPDATE_ELEM}. */
public enum UpdateMode {
    /** {@code BPF_ANY}: create the entry or replace its value. */
    ANY(0),
    /** {@code BPF_NOEXIST}: create only; a present key fails with {@code KeyExistsException} (EEXIST). */
    NO_EXIST(1),
    /** {@code BPF_EXIST}: replace only; an absent key fails with {@code KeyNotFoundException} (ENOENT). */
    EXIST(2);

    private final long flags;

    UpdateMode(long flags) {
        this.flags = flags;
    }

    /** The kernel flag value ({@code BPF_ANY} 0, {@code BPF_NOEXIST} 1, {@code BPF_EXIST} 2). */
    public long flags() {
        return flags;
    }
}
