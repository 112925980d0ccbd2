package dev.nicoffload.offload.adapt;

import java.util.Objects;
import java.util.Optional;

/**
 * One edit the {@link Adapter} made.
 *
 * @param kind           what kind of edit
 * @param program        the function whose instructions changed (a program, or a {@code .text}
 *                       subprogram); empty for a map edit
 * @param map            the map edited, or whose value the instructions touch; empty for a return-code edit
 * @param instruction    the kernel's instruction (slot) index, counted from the start of that function
 *                       (for a program: the index the verifier prints), or -1 for a map edit
 * @param before         the map attribute or instructions before, as text
 * @param after          the same after
 * @param note           why this is equivalent, or how the meaning changes
 * @param changesMeaning whether the edit changes what the program does (only with an {@link AllowedChange})
 */
public record Change(ChangeKind kind, Optional<String> program, Optional<String> map, int instruction,
                     String before, String after, String note, boolean changesMeaning) {

    /** Checks the fields. */
    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(map, "map");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(note, "note");
    }

    /** @return one line: where, before → after, note */
    public String render() {
        StringBuilder b = new StringBuilder();
        if (instruction >= 0) {
            b.append(program.orElse("?")).append(" insn ").append(instruction);
            map.ifPresent(m -> b.append(" (map ").append(m).append(')'));
        } else {
            b.append("map ").append(map.orElse("?"));
        }
        b.append(": ").append(before).append(" -> ").append(after);
        if (!note.isEmpty()) b.append("  [").append(note).append(']');
        if (changesMeaning) b.append(" (changes meaning)");
        return b.toString();
    }
}
