package dev.nicoffload.offload.error;

/** The kernel or driver refused to attach or detach a program; {@link #extack()} usually says why. */
public final class AttachRejectedException extends OffloadException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public AttachRejectedException(Failure failure) {
        super(failure);
    }
}
