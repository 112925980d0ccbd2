package dev.nicoffload.jit.elf;

/** Where a listing takes the number of contexts from (objdump's {@code -M ctx4} and {@code -M ctx8}). */
public enum ContextMode {
    /** Per ME, from the file's init-CSR sections (CtxEnables bit 31). */
    FROM_FILE,
    /** 4 contexts everywhere ({@code -M ctx4}). */
    FOUR,
    /** 8 contexts everywhere ({@code -M ctx8}, which wins over {@code ctx4}). */
    EIGHT
}
