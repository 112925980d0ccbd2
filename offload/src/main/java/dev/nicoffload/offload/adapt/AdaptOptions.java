package dev.nicoffload.offload.adapt;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the {@link Adapter} may do.
 *
 * @param program the one program to adapt (its maps are edited, and every other program of the object
 *                that uses an edited map is rewritten with it); empty: every program of the object
 * @param allowed the meaning-changing transformations the user allows; the meaning-preserving ones
 *                always run
 */
public record AdaptOptions(Optional<String> program, Set<AllowedChange> allowed) {

    /** Copies the set. */
    public AdaptOptions {
        Objects.requireNonNull(program, "program");
        allowed = allowed.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(allowed));
    }

    /** @return all programs, only meaning-preserving transformations */
    public static AdaptOptions defaults() {
        return new AdaptOptions(Optional.empty(), Set.of());
    }

    /** @param name a program name @return a copy that adapts only that program (and what shares its maps) */
    public AdaptOptions withProgram(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("program name must not be blank");
        return new AdaptOptions(Optional.of(name), allowed);
    }

    /** @param changes meaning-changing transformations to allow @return a copy that also allows them */
    public AdaptOptions allowing(AllowedChange... changes) {
        EnumSet<AllowedChange> s = EnumSet.noneOf(AllowedChange.class);
        s.addAll(allowed);
        s.addAll(Arrays.asList(changes));
        return new AdaptOptions(program, s);
    }

    /** @param change a transformation @return whether it is allowed */
    public boolean allows(AllowedChange change) {
        return allowed.contains(change);
    }
}
