package dev.nicoffload.offload.error;

/** The key is not in the map (ENOENT): a lookup or delete of an absent key, or an update with EXIST. */
public final class KeyNotFoundException extends MapOperationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public KeyNotFoundException(Failure failure) {
        super(failure);
    }
}
