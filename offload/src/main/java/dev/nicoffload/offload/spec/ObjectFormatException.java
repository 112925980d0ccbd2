package dev.nicoffload.offload.spec;

/**
 * A BPF ELF object could not be used: its file is missing, a directory, not a regular file (a
 * device or FIFO is never read), larger than the 64 MiB input bound or unreadable; or its bytes are
 * not an ELF file, truncated, corrupt, not a BPF object, or use a construct this reader does not
 * support. The message names the file, or the section or symbol at fault. It stands beside
 * {@link dev.nicoffload.offload.error.OffloadException} (what the kernel or libbpf refused) in the
 * error model of {@link dev.nicoffload.offload.error}.
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
