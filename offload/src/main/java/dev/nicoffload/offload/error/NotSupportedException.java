package dev.nicoffload.offload.error;

/** The kernel or device does not support the operation: EOPNOTSUPP, or ENOTSUPP (524) from bpf(2). */
public final class NotSupportedException extends OffloadException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public NotSupportedException(Failure failure) {
        super(failure);
    }
}
