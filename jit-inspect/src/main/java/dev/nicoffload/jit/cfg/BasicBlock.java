package dev.nicoffload.jit.cfg;

import dev.nicoffload.jit.image.Region;

/**
 * A straight-line run of instructions of a {@link ControlFlowGraph}: control enters only at
 * {@code start} and leaves only after {@code end} (a branch takes effect after its defer slots,
 * so those slots belong to the branch's block).
 *
 * @param id the block's number, in image order from 0
 * @param start index of its first instruction
 * @param end index of its last instruction (inclusive)
 * @param region the image part its first instruction belongs to
 * @param label the image's label for {@code start} ({@code L12}, {@code exit}, {@code abort}, ...),
 *     or {@code B<id>} when nothing branches there
 */
public record BasicBlock(int id, int start, int end, Region region, String label) {

    /** Number of instructions in the block. */
    public int length() {
        return end - start + 1;
    }

    /** Whether instruction {@code index} lies in this block. */
    public boolean contains(int index) {
        return index >= start && index <= end;
    }
}
