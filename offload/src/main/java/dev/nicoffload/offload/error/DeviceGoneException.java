package dev.nicoffload.offload.error;

/** The device (or the program's offload binding) no longer exists: ENODEV. */
public final class DeviceGoneException extends OffloadException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public DeviceGoneException(Failure failure) {
        super(failure);
    }
}
