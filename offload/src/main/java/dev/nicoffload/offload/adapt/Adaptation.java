package dev.nicoffload.offload.adapt;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link Adapter#adapt}: the adapted ELF object when the program could be adapted
 * (also when nothing needed changing: then the bytes are the input's), and the report.
 */
public final class Adaptation {
    private final byte[] output;
    private final AdaptationReport report;

    Adaptation(byte[] output, AdaptationReport report) {
        this.report = Objects.requireNonNull(report, "report");
        if ((output == null) != !report.refusals().isEmpty()) {
            throw new IllegalArgumentException("an adaptation has output exactly when nothing was refused");
        }
        this.output = output;
    }

    /** @return whether the object could be adapted (no refusals) */
    public boolean adaptable() {
        return output != null;
    }

    /** @return a copy of the adapted ELF bytes; present iff {@link #adaptable()} */
    public Optional<byte[]> output() {
        return output == null ? Optional.empty() : Optional.of(output.clone());
    }

    /** @return what was changed or refused */
    public AdaptationReport report() {
        return report;
    }

    @Override
    public String toString() {
        return "Adaptation[" + (adaptable() ? "adaptable, " + report.changes().size() + " changes" : report.refusals().size() + " refusals") + "]";
    }
}
