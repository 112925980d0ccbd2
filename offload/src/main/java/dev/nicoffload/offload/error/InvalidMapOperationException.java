package dev.nicoffload.offload.error;

/**
 * The kernel found the map operation invalid for this map (EINVAL), e.g. deleting from an ARRAY
 * (its slots always exist) or update flags an offloaded map does not take.
 */
public final class InvalidMapOperationException extends MapOperationException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public InvalidMapOperationException(Failure failure) {
        super(failure);
    }
}
