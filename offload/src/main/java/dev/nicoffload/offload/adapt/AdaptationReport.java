package dev.nicoffload.offload.adapt;

import java.util.ArrayList;
import java.util.List;

/**
 * What the {@link Adapter} changed, why it could not, and how the adapted maps relate to the
 * original's.
 *
 * @param changes            every edit, in the order made (map edits first)
 * @param refusals           every reason the object cannot be adapted (empty when it can)
 * @param mapCorrespondences for each map of the adapted object (and each folded {@code .rodata}), how
 *                           its contents relate to the original's
 */
public record AdaptationReport(List<Change> changes, List<Refusal> refusals, List<MapCorrespondence> mapCorrespondences) {

    /** Copies the lists. */
    public AdaptationReport {
        changes = List.copyOf(changes);
        refusals = List.copyOf(refusals);
        mapCorrespondences = List.copyOf(mapCorrespondences);
    }

    /** @return whether some edit changes what the program does (only with an {@link AllowedChange}) */
    public boolean changesMeaning() {
        return changes.stream().anyMatch(Change::changesMeaning);
    }

    /**
     * @return the lines the command line prints: one per change ({@code change: ...}), one per
     *         refusal ({@code refused: ...}), or {@code no change needed}
     */
    public String render() {
        List<String> lines = new ArrayList<>();
        for (Change c : changes) lines.add("change: " + c.render());
        for (Refusal r : refusals) lines.add("refused: " + r.render());
        for (MapCorrespondence m : mapCorrespondences) {
            if (m.kind() == MapCorrespondence.Kind.PERCPU_SUM) {
                lines.add("note: map " + m.adaptedMap().orElse(m.originalMap())
                        + " is shared now: reading it gives the sum the per-CPU map gave over all CPUs");
            } else if (m.kind() == MapCorrespondence.Kind.GLOBAL_COUNTERS) {
                lines.add("note: " + m.originalMap() + " counters now live in map " + m.adaptedMap().orElse("?") + " (key 0)");
            } else if (m.kind() == MapCorrespondence.Kind.RODATA_FOLDED && m.originalMap().contains(".rodata")) {
                lines.add("note: " + m.originalMap() + " folded into the instructions: its values can no longer be set before load");
            } else if (m.kind() == MapCorrespondence.Kind.RODATA_FOLDED) {
                lines.add("note: " + m.originalMap() + " is used by no instruction: libbpf makes no map for it");
            }
        }
        if (changes.isEmpty() && refusals.isEmpty()) lines.add("no change needed");
        return String.join("\n", lines) + "\n";
    }
}
