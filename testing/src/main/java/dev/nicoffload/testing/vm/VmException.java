package dev.nicoffload.testing.vm;

/**
 * The guest could not be booted or did not report how its command ended: QEMU or the kernel is
 * missing, the guest hung past its timeout, panicked, or powered off without a status. The message
 * says which, and the tail of the console log is attached when there is one.
 */
public final class VmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String consoleTail;

    /** A failure without console output (nothing was booted). */
    public VmException(String message) {
        this(message, "");
    }

    /** A failure with the last lines the guest printed on its console. */
    public VmException(String message, String consoleTail) {
        super(consoleTail.isEmpty() ? message : message + "\n--- last lines of the guest console ---\n" + consoleTail);
        this.consoleTail = consoleTail;
    }

    /** The last lines of the guest console (escape sequences removed), or an empty string. */
    public String consoleTail() {
        return consoleTail;
    }
}
