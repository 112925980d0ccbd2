package dev.nicoffload.offload.precheck;

import java.util.List;

/**
 * The pre-checker's result for one program.
 *
 * @param program    the program name
 * @param findings   every finding, in the order the kernel would meet them (map creation first, then
 *                   the verifier, the JIT and the device load)
 * @param size       the NFP size estimate (null when the analysis stopped before the JIT stage)
 * @param stackBytes the NFP stack use of the deepest call chain as the driver computes it, or -1 if
 *                   the analysis stopped before the driver's finalize step
 * @param processed  the instructions the analysis walked over all paths (comparable with the
 *                   kernel verifier's "processed N insns"), 0 when it did not run
 */
public record CheckReport(String program, List<Finding> findings, SizeEstimate size, int stackBytes, int processed) {

    /** Copies the list. */
    public CheckReport {
        findings = List.copyOf(findings);
    }

    /**
     * A report without an analysis count.
     *
     * @param program    the program name
     * @param findings   the findings
     * @param size       the size estimate or null
     * @param stackBytes the stack use or -1
     */
    public CheckReport(String program, List<Finding> findings, SizeEstimate size, int stackBytes) {
        this(program, findings, size, stackBytes, 0);
    }

    /** @return {@link Verdict#NOT_OFFLOADABLE} if any finding is an error */
    public Verdict verdict() {
        return findings.stream().anyMatch(Finding::isError) ? Verdict.NOT_OFFLOADABLE : Verdict.OFFLOADABLE;
    }

    /** @return whether the program can be offloaded */
    public boolean offloadable() {
        return verdict() == Verdict.OFFLOADABLE;
    }

    /** @return the verifier-log lines the NFP driver would print, each with its {@code [nfp] } prefix */
    public List<String> verifierLogLines() {
        return findings.stream().filter(f -> f.source() == Finding.Source.VERIFIER_LOG).map(Finding::render).toList();
    }

    /** @return the findings that make the offload fail */
    public List<Finding> errors() {
        return findings.stream().filter(Finding::isError).toList();
    }
}
