package dev.nicoffload.offload.error;

/**
 * A map element operation the kernel refused for a reason tied to the map's contents or shape:
 * the key is absent or already there, the map is full, the operation is invalid for this map, or
 * an all-or-nothing write failed part-way. Device loss, missing support and permissions keep their
 * general types ({@link DeviceGoneException}, {@link NotSupportedException},
 * {@link PermissionDeniedException}).
 */
public abstract sealed class MapOperationException extends OffloadException
        permits KeyNotFoundException, KeyExistsException, MapFullException, InvalidMapOperationException,
        WriteAllFailedException {

    private static final long serialVersionUID = 1L;

    MapOperationException(Failure failure) {
        super(failure);
    }
}
