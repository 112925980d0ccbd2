package dev.nicoffload.offload.adapt;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How one map of the adapted object relates to the original's, for whoever compares the two (the
 * equivalence harness, a user reading counters).
 *
 * @param kind         the relation
 * @param adaptedMap   the map's name in the adapted object (empty for {@link Kind#RODATA_FOLDED})
 * @param originalMap  the map's name in the original object as libbpf names it (for global data
 *                     sections: {@link Adapter#libbpfInternalMapName(String, String)}, e.g. {@code prog.rodata})
 * @param counterWords for {@link Kind#PERCPU_SUM} and {@link Kind#GLOBAL_COUNTERS}: the value words
 *                     the program adds to; the other words are never read nor written by the program
 */
public record MapCorrespondence(Kind kind, Optional<String> adaptedMap, String originalMap, List<CounterWord> counterWords) {

    /** The relations. */
    public enum Kind {
        /** Same map, same layout: compare the bytes of every entry. */
        SAME,
        /**
         * The original was per-CPU (same name): for every key and every counter word, the sum over CPUs
         * of the original's word (modulo 2^width) equals the adapted value's word.
         */
        PERCPU_SUM,
        /**
         * The original was a global data section map ({@code .bss}/{@code .data}); the adapted map is a
         * one-element ARRAY ({@code nico_bss}/{@code nico_data}, key 0) with the same value layout: the
         * counter words are equal (docs/adapting.md).
         */
        GLOBAL_COUNTERS,
        /**
         * The original global data map is gone: its constants were folded into the instructions
         * ({@code .rodata}), or no instruction used the section at all; nothing to compare.
         */
        RODATA_FOLDED
    }

    /** Checks the fields. */
    public MapCorrespondence {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(adaptedMap, "adaptedMap");
        Objects.requireNonNull(originalMap, "originalMap");
        counterWords = List.copyOf(counterWords);
    }
}
