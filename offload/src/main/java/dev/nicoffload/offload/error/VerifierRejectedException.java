package dev.nicoffload.offload.error;

/** The kernel refused to load a program; {@link #verifierLog()} holds the verifier's (and the offload driver's) explanation. */
public final class VerifierRejectedException extends OffloadException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public VerifierRejectedException(Failure failure) {
        super(failure);
    }
}
