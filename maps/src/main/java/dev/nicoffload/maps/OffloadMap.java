package dev.nicoffload.maps;

import dev.nicoffload.ffm.bpf.BpfMapCalls;
import dev.nicoffload.ffm.bpf.MapBuffers;
import dev.nicoffload.ffm.libc.Errno;
import dev.nicoffload.maps.codec.Codec;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.KeyNotFoundException;
import dev.nicoffload.offload.event.MapBatchEvent;
import dev.nicoffload.offload.error.OffloadException;
import dev.nicoffload.offload.error.WriteAllFailedException;
import dev.nicoffload.offload.info.MapInfo;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.offload.load.BpfMap;
import dev.nicoffload.offload.load.LoadedObject;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A BPF map (offloaded to a NIC or on the host) with typed keys and values.
 * <pre>{@code
 * try (LoadedObject obj = NicOffload.load(elf, LoadOptions.offloadTo(eth1))) {
 *     OffloadMap<Integer, Long> packets = OffloadMap.of(obj.map("packets"), Codecs.u32(), Codecs.u64())
 *             .withCounters(CounterWord.u64(0));
 *     long seen = packets.counters().get(0);
 *     packets.update(1, 0L, UpdateMode.EXIST);
 * }
 * }</pre>
 * Obtain one from a loaded object's map ({@link #of(BpfMap, Codec, Codec)}) or create a map of
 * your own on a device ({@link #create}) that several programs of that device then share
 * ({@code LoadOptions.withMap(name, map.handle())}).
 * <p>
 * <b>Sizes</b> are checked against the map when the view is made and for each value of a
 * size-agnostic codec: a mismatch is an {@link IllegalArgumentException} naming both sizes, raised
 * before any system call. <b>Errors</b> of the kernel arrive as the typed exceptions of
 * {@code dev.nicoffload.offload.error}: {@code KeyNotFoundException} (ENOENT),
 * {@code KeyExistsException} (EEXIST), {@code MapFullException} (E2BIG),
 * {@code InvalidMapOperationException} (EINVAL, e.g. delete on an ARRAY),
 * {@code NotSupportedException} (EOPNOTSUPP, ENOTSUPP 524), {@code DeviceGoneException} (ENODEV).
 * <p>
 * <b>Thread safety.</b> An {@code OffloadMap} may be used from any number of threads at once. Each
 * operation is one system call on one element, which the kernel applies atomically, with the
 * calling thread's own native buffers (reused, so the steady state allocates nothing). Iterators
 * carry their own buffers and belong to one thread. {@link #writeAll} calls on one instance run one
 * at a time; their all-or-nothing promise holds against failures, not against other writers of the
 * same keys. Closing the map while other threads use it is safe: each call either runs on this map
 * (the close waits for the calls in flight) or, once the close has begun, throws
 * {@link IllegalStateException}; a call never reaches another map that took the same fd number.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class OffloadMap<K, V> implements Iterable<MapEntry<K, V>>, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("dev.nicoffload.maps");

    private final BpfMap map;
    private final boolean ownsMap;
    private final Codec<K> keys;
    private final Codec<V> values;
    private final int keySize;
    private final int valueSize;
    private final List<CounterWord> counters;
    private final String label;
    private final Object writeAllLock;
    private final boolean host;

    private OffloadMap(BpfMap map, boolean ownsMap, Codec<K> keys, Codec<V> values, List<CounterWord> counters,
                       Object writeAllLock) {
        this.map = map;
        this.ownsMap = ownsMap;
        this.keys = keys;
        this.values = values;
        this.keySize = map.keySize();
        this.valueSize = map.valueSize();
        this.counters = counters;
        this.label = "map '" + map.name() + "'";
        this.writeAllLock = writeAllLock;
        this.host = onHost(map);
    }

    /** True for a map the kernel keeps on the host (its calls can be critical downcalls, see BpfMapCalls). */
    private static boolean onHost(BpfMap map) {
        if (map.device().isPresent()) {
            return false;
        }
        try {
            return map.info().ifindex() == 0;
        } catch (OffloadException e) {
            return false; // unknown: the ordinary call is right for any map
        }
    }

    /**
     * A typed view of {@code map} (the map stays owned by whoever owns {@code map}).
     *
     * @throws IllegalArgumentException when a codec's size differs from the map's key or value size
     */
    public static <K, V> OffloadMap<K, V> of(BpfMap map, Codec<K> keyCodec, Codec<V> valueCodec) {
        Objects.requireNonNull(map, "map");
        checkSize("key", keyCodec, map.keySize(), map.name());
        checkSize("value", valueCodec, map.valueSize(), map.name());
        return new OffloadMap<>(map, false, keyCodec, valueCodec, List.of(), new Object());
    }

    /** {@link #of(BpfMap, Codec, Codec)} for the map named {@code name} of {@code object}. */
    public static <K, V> OffloadMap<K, V> of(LoadedObject object, String name, Codec<K> keyCodec, Codec<V> valueCodec) {
        return of(Objects.requireNonNull(object, "object").map(name), keyCodec, valueCodec);
    }

    /**
     * Creates a HASH or ARRAY map of {@code maxEntries} entries on {@code device} (bound with
     * {@code map_ifindex}, no BTF, no flags: what offload needs), sized by the codecs, for one or
     * several programs of that device to share. Closing the returned map closes its fd.
     *
     * @throws IllegalArgumentException when a codec has no fixed size or {@code maxEntries} is not positive
     * @throws OffloadException         when the kernel or driver refuses (netdevsim: more than 2 entries
     *                                  ENOMEM, {@code bpf_map_accept=N} EOPNOTSUPP)
     */
    public static <K, V> OffloadMap<K, V> create(OffloadDevice device, MapType type, String name,
                                                 Codec<K> keyCodec, Codec<V> valueCodec, int maxEntries) {
        Objects.requireNonNull(device, "device");
        return create0(device, type, name, keyCodec, valueCodec, maxEntries);
    }

    /** {@link #create} on the host (no device): the same API over an ordinary kernel map. */
    public static <K, V> OffloadMap<K, V> createOnHost(MapType type, String name, Codec<K> keyCodec,
                                                       Codec<V> valueCodec, int maxEntries) {
        return create0(null, type, name, keyCodec, valueCodec, maxEntries);
    }

    private static <K, V> OffloadMap<K, V> create0(OffloadDevice device, MapType type, String name,
                                                   Codec<K> keyCodec, Codec<V> valueCodec, int maxEntries) {
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        if (keyCodec.size() <= 0 || valueCodec.size() <= 0) {
            throw new IllegalArgumentException("creating a map needs codecs of fixed size; key codec " + keyCodec
                    + " has " + keyCodec.size() + ", value codec " + valueCodec + " has " + valueCodec.size());
        }
        BpfMap created = BpfMap.create(name, type, keyCodec.size(), valueCodec.size(), maxEntries, 0, device);
        return new OffloadMap<>(created, true, keyCodec, valueCodec, List.of(), new Object());
    }

    private static void checkSize(String what, Codec<?> codec, int mapSize, String mapName) {
        Objects.requireNonNull(codec, what + " codec");
        if (codec.size() != Codec.MAP_SIZE && codec.size() != mapSize) {
            throw new IllegalArgumentException(what + " codec " + codec + " encodes " + codec.size() + " bytes but map '"
                    + mapName + "' has " + mapSize + "-byte " + what + "s");
        }
    }

    /**
     * This map with {@code words} of each value declared as atomic counters (see {@link CounterWord}
     * for the rule this enforces). The copy shares the underlying map (and its ownership).
     *
     * @throws IllegalArgumentException when a word lies outside the value or two words overlap
     */
    public OffloadMap<K, V> withCounters(CounterWord... words) {
        List<CounterWord> list = List.copyOf(Arrays.asList(words));
        for (int i = 0; i < list.size(); i++) {
            CounterWord w = list.get(i);
            if (w.offset() + w.size() > valueSize) {
                throw new IllegalArgumentException("counter " + w + " lies outside the " + valueSize + "-byte values of " + label);
            }
            for (int j = 0; j < i; j++) {
                if (w.overlaps(list.get(j))) {
                    throw new IllegalArgumentException("counters " + list.get(j) + " and " + w + " overlap");
                }
            }
        }
        return new OffloadMap<>(map, ownsMap, keys, values, list, writeAllLock);
    }

    /**
     * The counters declared with {@link #withCounters}: host-endian reads and resets to zero.
     *
     * @throws IllegalStateException when no counter word was declared
     */
    public AtomicCounters<K> counters() {
        if (counters.isEmpty()) {
            throw new IllegalStateException(label + " has no counter words: declare them with withCounters(...)");
        }
        return new AtomicCounters<>(this);
    }

    /**
     * The allocation-free view for integer keys and values of 4 or 8 bytes.
     *
     * @throws IllegalArgumentException when the key or value is not 4 or 8 bytes
     */
    public NumericMap numeric() {
        return new NumericMap(this);
    }

    // ---- shape ------------------------------------------------------------------------------

    /** The raw handle (e.g. for {@code LoadOptions.withMap} to share this map with another program). */
    public BpfMap handle() {
        return map;
    }

    /** The map's name. */
    public String name() {
        return map.name();
    }

    /** The map type. */
    public MapType type() {
        return map.type();
    }

    /** Key size in bytes. */
    public int keySize() {
        return keySize;
    }

    /** Value size in bytes. */
    public int valueSize() {
        return valueSize;
    }

    /** Maximum number of entries. */
    public int maxEntries() {
        return map.maxEntries();
    }

    /** The device the map lives on; empty for a host map. */
    public Optional<OffloadDevice> device() {
        return map.device();
    }

    /** The counter words declared on this view (empty unless {@link #withCounters} was used). */
    public List<CounterWord> counterWords() {
        return counters;
    }

    /** What the kernel reports now: id, shape, and for an offloaded map the device's ifindex and netns. */
    public MapInfo info() {
        return map.info();
    }

    // ---- element operations -----------------------------------------------------------------

    /** The value under {@code key}, or empty when the key is absent (ENOENT). */
    public Optional<V> lookup(K key) {
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        encodeKey(key, b);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.lookup(fd, host);
        } finally {
            map.releaseFd();
        }
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        if (rc < 0) {
            throw MapErrors.of("look up key " + keys.format(key) + " in " + label, -rc);
        }
        return Optional.of(values.decode(b.valueForRead(valueSize)));
    }

    /**
     * The value under {@code key}.
     *
     * @throws KeyNotFoundException when the key is absent
     */
    public V get(K key) {
        return lookup(key).orElseThrow(() -> (KeyNotFoundException) MapErrors.of(
                "get key " + keys.format(key) + " from " + label, Errno.ENOENT));
    }

    /** {@link #update} with {@link UpdateMode#ANY}: create or replace. */
    public void put(K key, V value) {
        update(key, value, UpdateMode.ANY);
    }

    /**
     * Stores {@code value} under {@code key} as {@code mode} says.
     *
     * @throws IllegalArgumentException for a value with non-zero bytes in a declared counter word
     * @throws dev.nicoffload.offload.error.KeyExistsException   NO_EXIST and the key is present
     * @throws KeyNotFoundException                              EXIST and the key is absent
     * @throws dev.nicoffload.offload.error.MapFullException     a new key and no free slot
     */
    public void update(K key, V value, UpdateMode mode) {
        Objects.requireNonNull(mode, "mode");
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        encodeKey(key, b);
        encodeValue(key, value, b);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.update(fd, mode.flags(), host);
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("update key " + keys.format(key) + " in " + label + " (" + mode + ")", -rc);
        }
    }

    /**
     * Deletes {@code key}.
     *
     * @throws KeyNotFoundException when the key is absent
     * @throws dev.nicoffload.offload.error.InvalidMapOperationException for an ARRAY (EINVAL: its slots always exist)
     */
    public void delete(K key) {
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        encodeKey(key, b);
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.delete(fd, host);
        } finally {
            map.releaseFd();
        }
        if (rc < 0) {
            throw MapErrors.of("delete key " + keys.format(key) + " from " + label, -rc);
        }
    }

    /**
     * The key after {@code key} in the map's order ({@code BPF_MAP_GET_NEXT_KEY}); with
     * {@code key == null} the first key. Empty after the last key (ENOENT). For an unknown key,
     * HASH maps (and netdevsim's maps) answer the first key.
     */
    public Optional<K> nextKey(K key) {
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        if (key != null) {
            encodeKey(key, b);
        }
        int rc;
        int fd = map.acquireFd();
        try {
            rc = b.nextKey(fd, key == null, host);
        } finally {
            map.releaseFd();
        }
        if (rc == -Errno.ENOENT) {
            return Optional.empty();
        }
        if (rc < 0) {
            throw MapErrors.of("get the key after " + (key == null ? "the start" : keys.format(key)) + " in " + label, -rc);
        }
        return Optional.of(keys.decode(b.nextKeyForRead(keySize)));
    }

    /**
     * Iterates the entries in the map's order with {@code BPF_MAP_GET_NEXT_KEY} and a lookup per
     * key. Keys deleted meanwhile are skipped; a key deleted under the iterator may make a HASH
     * iteration start over (the kernel answers the first key for an unknown one). When the map's
     * device disappears, {@code hasNext()} throws {@code DeviceGoneException} (ENODEV): iteration
     * never ends silently on an error.
     */
    @Override
    public Iterator<MapEntry<K, V>> iterator() {
        return new EntryIterator<>(this);
    }

    /** The entries as a sequential, ordered stream (see {@link #iterator()}). */
    public Stream<MapEntry<K, V>> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * At most {@code limit} entries, in the map's order.
     *
     * @throws IllegalArgumentException when {@code limit} is negative
     */
    public List<MapEntry<K, V>> dump(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<MapEntry<K, V>> out = new ArrayList<>(Math.min(limit, 1024));
        Iterator<MapEntry<K, V>> it = iterator();
        while (out.size() < limit && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    /** At most {@link #maxEntries()} entries, in the map's order. */
    public List<MapEntry<K, V>> dump() {
        return dump(maxEntries());
    }

    /**
     * Writes every entry of {@code entries} (in its iteration order, each as {@link UpdateMode#ANY})
     * so that, seen from the host, either all land or none does: every key and value is encoded and
     * checked first; then, when a write fails, the writes before it are undone in reverse order
     * (previous values restored, keys that were new deleted) and a {@link WriteAllFailedException}
     * names the failing key and says whether the rollback completed or which keys it could not
     * restore. Other writers of the same keys meanwhile are not held off.
     *
     * @throws IllegalArgumentException for a key or value of the wrong size or a non-zero counter word (nothing written)
     */
    public void writeAll(Map<? extends K, ? extends V> entries) {
        Objects.requireNonNull(entries, "entries");
        MapBatchEvent event = new MapBatchEvent();
        event.map = map.name();
        event.device = map.device().map(OffloadDevice::name).orElse("");
        event.operation = "writeAll";
        event.entries = entries.size();
        if (event.isEnabled()) {
            event.mapId = map.id();
        }
        event.run(LOG, "writeAll of " + entries.size() + " entries to " + label, () -> writeEntries(entries));
    }

    private void writeEntries(Map<? extends K, ? extends V> entries) {
        int n = entries.size();
        List<K> keyList = new ArrayList<>(n);
        byte[][] keyBytes = new byte[n][];
        byte[][] valueBytes = new byte[n][];
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        int i = 0;
        for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
            encodeKey(e.getKey(), b);
            encodeValue(e.getKey(), e.getValue(), b);
            keyList.add(e.getKey());
            keyBytes[i] = b.keyBytes(keySize);
            valueBytes[i] = b.valueBytes(valueSize);
            i++;
        }
        String op = "write " + n + " entries to " + label;
        synchronized (writeAllLock) {
            byte[][] previous = new byte[n][];
            int fd = map.acquireFd(); // held for the writes and any rollback: a close waits for the batch
            try {
                writeEntries(op, fd, n, keyList, keyBytes, valueBytes, previous, b);
            } finally {
                map.releaseFd();
            }
        }
    }

    private void writeEntries(String op, int fd, int n, List<K> keyList, byte[][] keyBytes, byte[][] valueBytes,
                              byte[][] previous, MapBuffers b) {
        for (int i = 0; i < n; i++) {
            b.putKey(keyBytes[i]);
            int rc = b.lookup(fd, host);
            if (rc == 0) {
                previous[i] = b.valueBytes(valueSize);
            } else if (rc != -Errno.ENOENT) {
                throw rollBack(op, fd, i, keyList, keyBytes, previous,
                        MapErrors.of("read the old value of key " + keys.format(keyList.get(i)) + " in " + label, -rc));
            }
            b.putKey(keyBytes[i]);
            b.putValue(valueBytes[i]);
            rc = b.update(fd, BpfMapCalls.BPF_ANY, host);
            if (rc < 0) {
                throw rollBack(op, fd, i, keyList, keyBytes, previous,
                        MapErrors.of("update key " + keys.format(keyList.get(i)) + " in " + label, -rc));
            }
        }
    }

    private WriteAllFailedException rollBack(String op, int fd, int failed, List<K> keyList, byte[][] keyBytes,
                                             byte[][] previous, OffloadException cause) {
        MapBuffers b = MapBuffers.forThread(keySize, valueSize);
        List<String> unrestored = new ArrayList<>();
        int undone = 0;
        for (int j = failed - 1; j >= 0; j--) {
            b.putKey(keyBytes[j]);
            int rc;
            if (previous[j] == null) {
                rc = b.delete(fd, host);
                if (rc == -Errno.ENOENT) {
                    rc = 0; // already gone: the map is as before for this key
                }
            } else {
                b.putValue(previous[j]);
                rc = b.update(fd, BpfMapCalls.BPF_ANY, host);
            }
            if (rc == 0) {
                undone++;
            } else {
                unrestored.add(keys.format(keyList.get(j)));
            }
        }
        return new WriteAllFailedException(op, keys.format(keyList.get(failed)), cause, undone, unrestored);
    }

    // ---- shared with the views in this package ----------------------------------------------

    /** Starts a system call on the map's fd (see {@link BpfMap#acquireFd()}); pair with {@link #releaseFd()}. */
    int acquireFd() {
        return map.acquireFd();
    }

    /** Ends a call started by {@link #acquireFd()}. */
    void releaseFd() {
        map.releaseFd();
    }

    String label() {
        return label;
    }

    boolean host() {
        return host;
    }

    Codec<K> keyCodec() {
        return keys;
    }

    Codec<V> valueCodec() {
        return values;
    }

    void encodeKey(K key, MapBuffers b) {
        encode("key", keys, key, b.keyForWrite(keySize));
    }

    private void encodeValue(K key, V value, MapBuffers b) {
        encode("value", values, value, b.valueForWrite(valueSize));
        for (CounterWord w : counters) {
            long v = b.valueWord(w.offset(), w.size());
            if (v != 0) {
                throw counterNotZero(keys.format(key), w, v);
            }
        }
    }

    private <T> void encode(String what, Codec<T> codec, T v, ByteBuffer out) {
        Objects.requireNonNull(v, what);
        try {
            codec.encode(v, out);
        } catch (BufferOverflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(what + " " + codec.format(v) + " does not fit the " + out.limit()
                    + "-byte " + what + "s of " + label, e);
        }
    }

    IllegalArgumentException counterNotZero(String key, CounterWord w, long value) {
        return new IllegalArgumentException("refusing to write " + Long.toUnsignedString(value) + " into counter word "
                + w + " of key " + key + " in " + label + ": the program updates that word with atomic adds, and an"
                + " offloading NIC (NFP) keeps atomic words big-endian and refuses to turn a word that held a non-zero"
                + " value into an atomic counter ('atomic counter in map value may already be initialized to non-zero"
                + " value'), so counters must start at zero; write 0 there, or clear counters with counters().reset(key)");
    }

    /** Closes the map if this view created it ({@link #create}); a view of an object's map leaves it open. */
    @Override
    public void close() {
        if (ownsMap) {
            map.close();
        }
    }

    @Override
    public String toString() {
        return "OffloadMap[" + map + ", key " + keys + ", value " + values
                + (counters.isEmpty() ? "" : ", counters " + counters) + "]";
    }
}
