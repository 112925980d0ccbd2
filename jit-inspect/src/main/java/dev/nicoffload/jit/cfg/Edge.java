package dev.nicoffload.jit.cfg;

import java.util.Optional;

/**
 * A directed edge of a {@link ControlFlowGraph}, from a block to a block of the same image or to
 * something outside it (the firmware's next-packet code, a helper, a register-held address).
 *
 * @param from id of the source block
 * @param to id of the target block, or -1 when the target is {@code external}
 * @param external name of an outside target ({@code next_packet}, {@code helper_1}, {@code return}),
 *     or null when {@code to} is a block
 * @param kind why control passes
 */
public record Edge(int from, int to, String external, EdgeKind kind) {

    /** Checks that exactly one of {@code to} and {@code external} is given. */
    public Edge {
        if ((to < 0) == (external == null)) {
            throw new IllegalArgumentException("an edge has either a target block or an external target");
        }
    }

    /** The outside target, if the edge leaves the image. */
    public Optional<String> externalTarget() {
        return Optional.ofNullable(external);
    }
}
