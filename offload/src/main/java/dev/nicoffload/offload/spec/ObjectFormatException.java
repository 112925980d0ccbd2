package dev.nicoffload.offload.spec;

/**
 * A BPF ELF object could not be read: it is truncated, corrupt, not a BPF object, or uses a
 * construct this reader does not support. The message names the section or symbol at fault.
 */
public final class ObjectFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong and where */
    public ObjectFormatException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong and where
     * @param cause   the lower-level failure (for example an I/O error)
     */
    public ObjectFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
