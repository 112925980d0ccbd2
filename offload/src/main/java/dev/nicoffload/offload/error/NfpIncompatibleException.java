package dev.nicoffload.offload.error;

import dev.nicoffload.offload.precheck.CheckReport;
import dev.nicoffload.offload.precheck.Finding;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The NFP pre-checker found, before anything was loaded, that a program cannot be offloaded to the
 * target NFP. {@link #reports()} lists every finding; {@link #errno()} is the errno the kernel would
 * have returned for the first one, and the message holds all findings, kernel-log findings in the
 * kernel's own words ({@code [nfp] ...}). Opt out with {@code LoadOptions.withoutPreCheck()}.
 */
public final class NfpIncompatibleException extends OffloadException {
    private static final long serialVersionUID = 1L;

    private final transient List<CheckReport> reports;

    /** For the reports of a pre-check of {@code operation}; at least one report must hold an error. */
    public NfpIncompatibleException(String operation, List<CheckReport> reports) {
        super(failure(operation, reports));
        this.reports = List.copyOf(reports);
    }

    /** Every program's report, including those that could be offloaded. */
    public List<CheckReport> reports() {
        return reports;
    }

    /** Every error finding, over all programs. */
    public List<Finding> findings() {
        return reports.stream().flatMap(r -> r.errors().stream()).toList();
    }

    private static Failure failure(String operation, List<CheckReport> reports) {
        List<Finding> errors = reports.stream().flatMap(r -> r.errors().stream()).toList();
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("no finding prevents the offload");
        }
        String lines = reports.stream().filter(r -> !r.errors().isEmpty())
                .map(r -> "program '" + r.program() + "':\n" + r.errors().stream().map(f -> "  " + f.render()).collect(Collectors.joining("\n")))
                .collect(Collectors.joining("\n"));
        return new Failure(operation + " (NFP pre-check)", errors.get(0).errno().value(), null, lines);
    }
}
