package dev.nicoffload.offload.error;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An all-or-nothing write of several map entries failed at one key. The writes made before it
 * were rolled back (previous values restored, new keys deleted); {@link #rollbackComplete()} says
 * whether every one of them was undone and {@link #unrestoredKeys()} names those that were not.
 * {@link #getCause()} is the failure of the key that could not be written; {@link #errno()} is its errno.
 */
public final class WriteAllFailedException extends MapOperationException {

    private static final long serialVersionUID = 1L;

    private final String failedKey;
    private final List<String> unrestoredKeys;
    private final int undone;

    /**
     * Creates the exception.
     *
     * @param operation      what was being written, e.g. {@code write 3 entries to map 'htab'}
     * @param failedKey      the key whose write failed, as the map shows keys
     * @param cause          that write's failure
     * @param undone         how many earlier writes were rolled back successfully
     * @param unrestoredKeys keys whose earlier write could not be rolled back (empty when the rollback completed)
     */
    public WriteAllFailedException(String operation, String failedKey, OffloadException cause, int undone,
                                   List<String> unrestoredKeys) {
        super(new Failure(operation, cause.errno(), cause.extack().orElse(null), null));
        initCause(cause);
        this.failedKey = failedKey;
        this.undone = undone;
        this.unrestoredKeys = Collections.unmodifiableList(new ArrayList<>(unrestoredKeys));
    }

    /** The key whose write failed, as the map's key codec shows it (e.g. {@code 3}, {@code 0x0a000001}). */
    public String failedKey() {
        return failedKey;
    }

    /** True when every earlier write was undone: the map holds what it held before the call. */
    public boolean rollbackComplete() {
        return unrestoredKeys.isEmpty();
    }

    /** Keys whose earlier write could not be undone (their new value stays); empty when the rollback completed. */
    public List<String> unrestoredKeys() {
        return unrestoredKeys;
    }

    /** How many earlier writes were undone. */
    public int undoneWrites() {
        return undone;
    }

    @Override
    public String getMessage() {
        String head = operation() + " failed at key " + failedKey + ": " + errnoName()
                + (getCause() == null ? "" : " (" + getCause().getMessage() + ")");
        if (rollbackComplete()) {
            return head + "; rollback completed: " + undone + " earlier write(s) undone, the map is as before";
        }
        return head + "; rollback INCOMPLETE: " + undone + " earlier write(s) undone, keys " + unrestoredKeys
                + " could not be restored and keep their new values";
    }
}
