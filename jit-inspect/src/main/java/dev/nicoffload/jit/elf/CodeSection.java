package dev.nicoffload.jit.elf;

import java.util.Arrays;

/**
 * One code section of an NFP ELF file ({@code SHF_EXECINSTR}, with contents): its place in the
 * chip (island and ME from {@code sh_info}), the ME settings that apply to it and its 64-bit
 * instruction words.
 */
public final class CodeSection {
    private final int index;
    private final String name;
    private final long address;
    private final long flags;
    private final int island;
    private final int meNumber;
    private final MeConfig config;
    private final long[] words;
    private final int trailingBytes;

    CodeSection(int index, String name, long address, long flags, int island, int meNumber, MeConfig config,
                long[] words, int trailingBytes) {
        this.index = index;
        this.name = name;
        this.address = address;
        this.flags = flags;
        this.island = island;
        this.meNumber = meNumber;
        this.config = config;
        this.words = words;
        this.trailingBytes = trailingBytes;
    }

    /** Section header index. */
    public int index() {
        return index;
    }

    /** Section name, e.g. {@code .text.i32.me0}. */
    public String name() {
        return name;
    }

    /** {@code sh_addr}: the address of the first word. */
    public long address() {
        return address;
    }

    /** {@code sh_flags}. */
    public long flags() {
        return flags;
    }

    /** Island number from the section's {@code sh_info} domain (bits 31:24). */
    public int island() {
        return island;
    }

    /** ME number within the island from {@code sh_info} (bits 23:16). */
    public int meNumber() {
        return meNumber;
    }

    /**
     * Whether the island/ME pair addresses a real ME (island below 64, ME below 12). objdump prints
     * {@code Invalid island or me.} for the other sections instead of their code.
     */
    public boolean hasValidDomain() {
        return island < 64 && meNumber < 12;
    }

    /** True for ordinary code; false for init code ({@code SHF_NFP_INIT} or {@code SHF_NFP_INIT2} set). */
    public boolean isText() {
        return (flags & (NfpElfFile.SHF_NFP_INIT | NfpElfFile.SHF_NFP_INIT2)) == 0;
    }

    /** The ME settings from the file's init-CSR sections for this section's ME. */
    public MeConfig config() {
        return config;
    }

    /** Number of whole instruction words. */
    public int wordCount() {
        return words.length;
    }

    /** Instruction word {@code i} (little-endian in the file). */
    public long word(int i) {
        return words[i];
    }

    /** A copy of all whole instruction words. */
    public long[] words() {
        return Arrays.copyOf(words, words.length);
    }

    /** Bytes after the last whole word (0 to 7); objdump prints an error line for them. */
    public int trailingBytes() {
        return trailingBytes;
    }

    /** Section size in bytes. */
    public long size() {
        return 8L * words.length + trailingBytes;
    }

    long[] wordsNoCopy() {
        return words;
    }
}
