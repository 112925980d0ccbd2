package dev.nicoffload.jit.image;

import dev.nicoffload.jit.isa.InstructionClass;

/**
 * One decoded word of a {@link JitImage}.
 *
 * @param index instruction index in the image
 * @param word the 64-bit word as exposed (relocation tag in bits 63:56)
 * @param region the image part it belongs to
 * @param relocation its relocation tag
 * @param instructionClass its ME v2.8 class
 * @param text objdump's text for it (4-context mode, as bpftool prints NFP images)
 * @param target the instruction index it branches to (or, for {@link RelocationType#IMMED_REL},
 *     the index its immediate holds); -1 if none or outside the image
 * @param targetLabel a label for the target ({@code L12}, {@code exit}, {@code abort},
 *     {@code push_regs}, {@code pop_regs}, {@code next_packet}, {@code helper_1}); null if none
 */
public record JitInstruction(int index, long word, Region region, RelocationType relocation,
                             InstructionClass instructionClass, String text, int target, String targetLabel) {

    /** Whether the branch still holds the driver's placeholder target (15000 or 15000 + helper id). */
    public boolean hasPlaceholderTarget() {
        return switch (relocation) {
            case BR_GO_OUT, BR_GO_ABORT, BR_NEXT_PKT, BR_HELPER -> true;
            default -> false;
        };
    }
}
