package dev.nicoffload.maps;

import dev.nicoffload.ffm.bpf.MapBuffers;
import dev.nicoffload.ffm.libc.Errno;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks a map with {@code BPF_MAP_GET_NEXT_KEY} and one lookup per key, on buffers of its own so
 * that element calls made meanwhile on the same thread do not move it. Errors (ENODEV when the
 * device is gone) are thrown from {@link #hasNext()}, and the iteration ends there.
 */
final class EntryIterator<K, V> implements Iterator<MapEntry<K, V>> {

    private final OffloadMap<K, V> map;
    private final MapBuffers buffers;
    private boolean started;
    private boolean finished;
    private MapEntry<K, V> next;

    EntryIterator(OffloadMap<K, V> map) {
        this.map = map;
        this.buffers = MapBuffers.owned(map.keySize(), map.valueSize());
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            advance();
        }
        return next != null;
    }

    @Override
    public MapEntry<K, V> next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more entries in " + map.label());
        }
        MapEntry<K, V> e = next;
        next = null;
        return e;
    }

    private void advance() {
        int fd = map.acquireFd(); // the walk to the next entry runs on this map's fd, or not at all
        try {
            advance(fd);
        } finally {
            map.releaseFd();
        }
    }

    private void advance(int fd) {
        while (true) {
            int rc = buffers.nextKey(fd, !started, map.host());
            if (rc == -Errno.ENOENT) {
                finished = true;
                return;
            }
            if (rc < 0) {
                finished = true;
                throw MapErrors.of("iterate " + map.label() + " (get the next key)", -rc);
            }
            started = true;
            buffers.advanceKey(map.keySize());
            rc = buffers.lookup(fd, map.host());
            if (rc == -Errno.ENOENT) {
                continue; // deleted since get_next_key answered it
            }
            if (rc < 0) {
                finished = true;
                throw MapErrors.of("iterate " + map.label() + " (look up an entry)", -rc);
            }
            next = new MapEntry<>(map.keyCodec().decode(buffers.keyForRead(map.keySize())),
                    map.valueCodec().decode(buffers.valueForRead(map.valueSize())));
            return;
        }
    }
}
