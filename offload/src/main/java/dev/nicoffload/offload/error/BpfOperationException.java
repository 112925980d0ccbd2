package dev.nicoffload.offload.error;

/**
 * A failure no more specific type describes (for example EINVAL from a malformed object, EBUSY,
 * ENOMEM); {@link #errno()} and the message say what happened.
 */
public final class BpfOperationException extends OffloadException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public BpfOperationException(Failure failure) {
        super(failure);
    }
}
