package dev.nicoffload.jit.elf;

import dev.nicoffload.jit.isa.NfpDisassembler;

/**
 * The per-ME settings that change how an ME's code is printed, as an NFP ELF file's init-CSR
 * sections set them: 4-context mode (CtxEnables bit 31), 32-bit third-party addressing
 * (MiscControl bit 4) and shared code store (MiscControl bit 2).
 *
 * @param fourContexts 4-context register numbering
 * @param thirdParty32 32-bit third-party addressing in command modes 2 and 3
 * @param sharedCodeStore shared code store: PC numbers are doubled (+1 for odd MEs)
 */
public record MeConfig(boolean fourContexts, boolean thirdParty32, boolean sharedCodeStore) {
    /** The settings of an ME that no init-CSR section configures. */
    public static final MeConfig DEFAULT = new MeConfig(false, false, false);

    /** CSR address of CtxEnables (byte address within the ME's CSR space). */
    static final int CSR_CTX_ENABLES = 0x018;
    /** CSR address of MiscControl. */
    static final int CSR_MISC_CONTROL = 0x160;

    /** The settings that CtxEnables and MiscControl values select. */
    static MeConfig fromCsrs(long ctxEnables, long miscControl) {
        return new MeConfig((ctxEnables & 0x8000_0000L) != 0, (miscControl & 0x10) != 0, (miscControl & 0x4) != 0);
    }

    /** A disassembler for these settings. */
    public NfpDisassembler disassembler() {
        return NfpDisassembler.of(fourContexts, thirdParty32);
    }
}
