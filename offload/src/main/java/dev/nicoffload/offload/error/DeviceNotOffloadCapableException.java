package dev.nicoffload.offload.error;

/**
 * The device cannot take BPF programs bound to it (no offload support, or it refuses binding):
 * a bound operation failed and a probe load bound to the device failed too.
 */
public final class DeviceNotOffloadCapableException extends OffloadException {

    private static final long serialVersionUID = 1L;

    private final String device;

    /** Creates the exception for {@code device} (its name) from the failure's facts. */
    public DeviceNotOffloadCapableException(Failure failure, String device) {
        super(failure);
        this.device = device;
    }

    /** The device's name. */
    public String device() {
        return device;
    }

    @Override
    public String getMessage() {
        return device + " cannot offload BPF programs: " + super.getMessage();
    }
}
