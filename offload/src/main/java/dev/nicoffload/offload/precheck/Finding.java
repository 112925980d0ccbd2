package dev.nicoffload.offload.precheck;

import java.util.Objects;

/**
 * One reason a program cannot be offloaded to an NFP (or a warning about how it will behave there).
 *
 * @param source      where the kernel reports it: verifier log, netlink extack, or nowhere useful
 *                    (dmesg only or a bare errno), in which case the text is the checker's own
 * @param severity    whether the load fails ({@link Severity#ERROR}) or not
 * @param rule        the rule the finding comes from
 * @param message     the text: for {@link Source#VERIFIER_LOG} exactly the kernel's line without
 *                    the {@code [nfp] } prefix and newline; for {@link Source#EXTACK} the kernel's
 *                    text without the {@code nfp: } prefix; otherwise the checker's own explanation
 * @param instruction the kernel (8-byte slot) index of the instruction, or -1 for the whole program
 * @param errno       the errno the kernel would return (for warnings: the errno a related failure has)
 */
public record Finding(Source source, Severity severity, Rule rule, String message, int instruction, Errno errno) {

    /** Where the kernel reports a finding. */
    public enum Source {
        /** A line the NFP driver writes into the verifier log ({@code [nfp] ...}). */
        VERIFIER_LOG,
        /** A netlink extended-ack message of the NFP driver ({@code nfp: ...}), at attach/load to the device. */
        EXTACK,
        /** The kernel says nothing useful (dmesg only or a bare errno): the message is the checker's. */
        CHECKER
    }

    /** Whether the finding stops the offload. */
    public enum Severity {
        /** The load or attach fails. */
        ERROR,
        /** The program offloads but behaves differently, or may fail depending on circumstances. */
        WARNING
    }

    /** Validates the fields. */
    public Finding {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(errno, "errno");
    }

    /** @return whether this finding makes the offload fail */
    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * The finding as one line: {@code [nfp] <text>} for verifier-log findings (exactly what the
     * kernel prints), {@code nfp: <text>} for extack findings, and
     * {@code <rule>: <text> (insn N, ERRNO)} for the checker's own messages.
     *
     * @return the rendered line
     */
    public String render() {
        return switch (source) {
            case VERIFIER_LOG -> "[nfp] " + message;
            case EXTACK -> "nfp: " + message;
            case CHECKER -> (severity == Severity.WARNING ? "warning: " : "") + rule.id() + ": " + message
                    + (instruction >= 0 ? " (insn " + instruction + ", " : " (") + errno + ")";
        };
    }

    @Override
    public String toString() {
        return render();
    }
}
