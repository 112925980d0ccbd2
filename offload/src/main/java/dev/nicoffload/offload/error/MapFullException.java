package dev.nicoffload.offload.error;

/**
 * No slot is left for a new key (E2BIG): every one of the map's {@code max_entries} is in use, or,
 * for an ARRAY, the index is not below {@code max_entries}.
 */
public final class MapFullException extends MapOperationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public MapFullException(Failure failure) {
        super(failure);
    }
}
