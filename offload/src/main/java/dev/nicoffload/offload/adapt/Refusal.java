package dev.nicoffload.offload.adapt;

import java.util.Objects;
import java.util.Optional;

/**
 * Why a program cannot be adapted.
 *
 * @param program     the function the reason is about (empty for an object-level reason)
 * @param instruction the kernel's instruction (slot) index from the start of that function, or -1
 * @param map         the map concerned, if any
 * @param reason      the reason, in the NFP driver's words where the driver has them ({@code [nfp] ...})
 */
public record Refusal(Optional<String> program, int instruction, Optional<String> map, String reason) {

    /** Checks the fields. */
    public Refusal {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return one line: where, and why */
    public String render() {
        StringBuilder b = new StringBuilder();
        program.ifPresent(p -> b.append(p));
        if (instruction >= 0) b.append(b.isEmpty() ? "" : " ").append("insn ").append(instruction);
        map.ifPresent(m -> b.append(b.isEmpty() ? "" : " ").append("(map ").append(m).append(')'));
        if (!b.isEmpty()) b.append(": ");
        return b.append(reason).toString();
    }
}
