package dev.nicoffload.ffm.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * Native key, next-key and value buffers for map element calls, reused call after call so that
 * the steady state allocates nothing. {@link #forThread} hands out the calling thread's buffers
 * (grown when a larger map needs it); {@link #owned} makes a private set, e.g. for an iterator that
 * must keep its position while other calls use the thread's buffers.
 * <p>
 * Not thread-safe: one instance is used by one thread at a time. Callers see the buffers only as
 * {@link ByteBuffer}s in native byte order and as primitives; the segments stay in this module.
 */
public final class MapBuffers {

    private static final int INITIAL = 64;
    private static final ThreadLocal<MapBuffers> PER_THREAD = ThreadLocal.withInitial(() -> new MapBuffers(INITIAL, INITIAL));

    private MemorySegment key;
    private MemorySegment next;
    private MemorySegment value;
    private ByteBuffer keyView;
    private ByteBuffer nextView;
    private ByteBuffer valueView;
    private long keyAddress;
    private long nextAddress;
    private long valueAddress;

    private MapBuffers(int keyCapacity, int valueCapacity) {
        allocate(keyCapacity, valueCapacity);
    }

    private void allocate(int keyCapacity, int valueCapacity) {
        Arena arena = Arena.ofAuto(); // freed by the GC once these buffers are unreachable
        key = arena.allocate(keyCapacity, 8);
        next = arena.allocate(keyCapacity, 8);
        value = arena.allocate(valueCapacity, 8);
        keyView = key.asByteBuffer().order(ByteOrder.nativeOrder());
        nextView = next.asByteBuffer().order(ByteOrder.nativeOrder());
        valueView = value.asByteBuffer().order(ByteOrder.nativeOrder());
        keyAddress = key.address();
        nextAddress = next.address();
        valueAddress = value.address();
    }

    /** The calling thread's buffers, large enough for {@code keySize} and {@code valueSize}. */
    public static MapBuffers forThread(int keySize, int valueSize) {
        MapBuffers b = PER_THREAD.get();
        if (keySize > b.key.byteSize() || valueSize > b.value.byteSize()) {
            b.allocate(Math.max(keySize, (int) b.key.byteSize()), Math.max(valueSize, (int) b.value.byteSize()));
        }
        return b;
    }

    /** A private set of buffers of exactly these sizes (at least 1 byte each). */
    public static MapBuffers owned(int keySize, int valueSize) {
        return new MapBuffers(Math.max(1, keySize), Math.max(1, valueSize));
    }

    // ---- views for codecs -------------------------------------------------------------------

    /** The key buffer, zeroed, position 0, limit {@code size}, to encode a key into. */
    public ByteBuffer keyForWrite(int size) {
        key.fill((byte) 0);
        keyView.clear().limit(size);
        return keyView;
    }

    /** The value buffer, zeroed, position 0, limit {@code size}, to encode a value into. */
    public ByteBuffer valueForWrite(int size) {
        value.fill((byte) 0);
        valueView.clear().limit(size);
        return valueView;
    }

    /** The value buffer as the last lookup left it, position 0, limit {@code size}. */
    public ByteBuffer valueForRead(int size) {
        valueView.clear().limit(size);
        return valueView;
    }

    /** The key buffer as it is, position 0, limit {@code size}. */
    public ByteBuffer keyForRead(int size) {
        keyView.clear().limit(size);
        return keyView;
    }

    /** The next-key buffer as the last {@link #nextKey} left it, position 0, limit {@code size}. */
    public ByteBuffer nextKeyForRead(int size) {
        nextView.clear().limit(size);
        return nextView;
    }

    // ---- primitives (the allocation-free path) ----------------------------------------------

    /** Writes an unsigned number of {@code size} (4 or 8) bytes, host order, as the key. */
    public void putKeyNumber(int size, long v) {
        put(key, size, v);
    }

    /** Writes an unsigned number of {@code size} (4 or 8) bytes, host order, as the value. */
    public void putValueNumber(int size, long v) {
        put(value, size, v);
    }

    /** Reads the value as an unsigned number of {@code size} (4 or 8) bytes, host order. */
    public long valueNumber(int size) {
        return get(value, size, 0);
    }

    /** Reads the {@code size}-byte (4 or 8) word at {@code offset} of the value, host order, unsigned. */
    public long valueWord(int offset, int size) {
        return get(value, size, offset);
    }

    /** Zeroes the {@code size}-byte word at {@code offset} of the value. */
    public void clearValueWord(int offset, int size) {
        if (size == 4) {
            value.set(JAVA_INT_UNALIGNED, offset, 0);
        } else {
            value.set(JAVA_LONG_UNALIGNED, offset, 0L);
        }
    }

    private static void put(MemorySegment s, int size, long v) {
        if (size == 4) {
            s.set(JAVA_INT_UNALIGNED, 0, (int) v);
        } else {
            s.set(JAVA_LONG_UNALIGNED, 0, v);
        }
    }

    private static long get(MemorySegment s, int size, int offset) {
        return size == 4 ? Integer.toUnsignedLong(s.get(JAVA_INT_UNALIGNED, offset)) : s.get(JAVA_LONG_UNALIGNED, offset);
    }

    // ---- raw bytes --------------------------------------------------------------------------

    /** Copies {@code bytes} into the key buffer. */
    public void putKey(byte[] bytes) {
        MemorySegment.copy(bytes, 0, key, JAVA_BYTE, 0, bytes.length);
    }

    /** Copies {@code bytes} into the value buffer. */
    public void putValue(byte[] bytes) {
        MemorySegment.copy(bytes, 0, value, JAVA_BYTE, 0, bytes.length);
    }

    /** A copy of the first {@code size} bytes of the key buffer. */
    public byte[] keyBytes(int size) {
        return copy(key, size);
    }

    /** A copy of the first {@code size} bytes of the next-key buffer. */
    public byte[] nextKeyBytes(int size) {
        return copy(next, size);
    }

    /** A copy of the first {@code size} bytes of the value buffer. */
    public byte[] valueBytes(int size) {
        return copy(value, size);
    }

    private static byte[] copy(MemorySegment s, int size) {
        byte[] out = new byte[size];
        MemorySegment.copy(s, JAVA_BYTE, 0, out, 0, size);
        return out;
    }

    /** Copies the next-key buffer into the key buffer (to step an iteration). */
    public void advanceKey(int size) {
        MemorySegment.copy(next, 0, key, 0, size);
    }

    // ---- element calls on these buffers ------------------------------------------------------
    // host: the map lives on the host, so the call may be a critical one (see BpfMapCalls)

    // the reachability fences keep this object, and with it the auto arena's memory, alive until
    // the call has returned: the calls see only raw addresses

    /** Looks up the key buffer's key into the value buffer: 0 or {@code -errno}. */
    public int lookup(int fd, boolean host) {
        int rc = BpfMapCalls.lookup(fd, keyAddress, valueAddress, host);
        Reference.reachabilityFence(this);
        return rc;
    }

    /** Stores the value buffer under the key buffer's key: 0 or {@code -errno}. */
    public int update(int fd, long flags, boolean host) {
        int rc = BpfMapCalls.update(fd, keyAddress, valueAddress, flags, host);
        Reference.reachabilityFence(this);
        return rc;
    }

    /** Deletes the key buffer's key: 0 or {@code -errno}. */
    public int delete(int fd, boolean host) {
        int rc = BpfMapCalls.delete(fd, keyAddress, host);
        Reference.reachabilityFence(this);
        return rc;
    }

    /**
     * Writes the key following the key buffer's key (or the first key when {@code first}) into the
     * next-key buffer: 0, or {@code -errno} ({@code -ENOENT} after the last key).
     */
    public int nextKey(int fd, boolean first, boolean host) {
        int rc = BpfMapCalls.nextKey(fd, first ? 0L : keyAddress, nextAddress, host);
        Reference.reachabilityFence(this);
        return rc;
    }
}
