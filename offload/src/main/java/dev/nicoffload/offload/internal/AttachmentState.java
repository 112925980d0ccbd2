package dev.nicoffload.offload.internal;

/**
 * The close semantics every attachment handle shares (XDP, TC): closing runs the detach at most
 * once successfully, and the handle counts as closed only after the detach succeeded (or found
 * nothing of its own to detach). A detach the kernel or driver refuses throws and leaves the
 * handle open, so {@code isAttached()} keeps telling the truth and a later {@code close()} retries.
 * Closes from several threads run one at a time.
 */
public final class AttachmentState {

    private volatile boolean closed;

    /** True once a detach succeeded (or there was nothing of this attachment's left to detach). */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Runs {@code detach} unless a previous close succeeded, and marks the attachment closed when it
     * returns normally; when it throws, the attachment stays open and the exception goes on.
     */
    public synchronized void close(Runnable detach) {
        if (closed) {
            return;
        }
        detach.run();
        closed = true;
    }
}
