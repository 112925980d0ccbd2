package dev.nicoffload.offload.error;

import dev.nicoffload.ffm.libc.Errno;

/**
 * The facts of one failed operation, from which an {@link OffloadException} is built.
 *
 * @param operation   what was being done
 * @param errno       the positive errno
 * @param extack      the netlink extended-ack text, or null
 * @param verifierLog the verifier log, or null
 */
public record Failure(String operation, int errno, String extack, String verifierLog) {

    /** Validates the record. */
    public Failure {
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("operation must be named");
        }
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive: " + errno);
        }
        if (extack != null && extack.isEmpty()) {
            extack = null;
        }
        if (verifierLog != null && verifierLog.isBlank()) {
            verifierLog = null;
        }
    }

    /** A failure with neither extack nor verifier log. */
    public static Failure of(String operation, int errno) {
        return new Failure(operation, errno, null, null);
    }

    /** The errno's symbolic name. */
    public String errnoName() {
        return Errno.name(errno);
    }

    /** The exception message: operation, errno name and text, extack, verifier log. */
    public String message() {
        StringBuilder sb = new StringBuilder(operation).append(" failed: ")
                .append(errnoName()).append(" (").append(Errno.message(errno)).append(')');
        if (extack != null) {
            sb.append(": ").append(extack);
        }
        if (verifierLog != null) {
            sb.append("\nverifier log:\n").append(verifierLog.stripTrailing());
        }
        return sb.toString();
    }
}
