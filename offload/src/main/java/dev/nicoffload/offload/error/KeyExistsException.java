package dev.nicoffload.offload.error;

/** The key is already in the map (EEXIST): an update with NOEXIST of a present key. */
public final class KeyExistsException extends MapOperationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public KeyExistsException(Failure failure) {
        super(failure);
    }
}
