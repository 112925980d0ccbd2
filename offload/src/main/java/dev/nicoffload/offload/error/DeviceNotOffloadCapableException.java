package dev.nicoffload.offload.error;

/** The device cannot take BPF programs bound to it (no offload support, or it refuses binding), found by asking the kernel. */
public final class DeviceNotOffloadCapableException extends OffloadException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from the failure's facts. */
    public DeviceNotOffloadCapableException(Failure failure) {
        super(failure);
    }
}
