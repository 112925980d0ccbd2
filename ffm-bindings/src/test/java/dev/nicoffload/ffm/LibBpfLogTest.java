package dev.nicoffload.ffm;

import dev.nicoffload.ffm.libbpf.LibBpf;
import dev.nicoffload.ffm.libbpf.LibBpfLog;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libbpf's print callback reaches the collector of the thread that made the libbpf call. */
class LibBpfLogTest {

    private static int openGarbage() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment junk = arena.allocate(128);
            junk.fill((byte) 7);
            LibBpf.OpenResult r = LibBpf.openMem(junk, "junk");
            assertTrue(r.object().equals(MemorySegment.NULL));
            return r.errno();
        }
    }

    @Test
    void openingGarbageFailsWithErrnoAndLibbpfSaysWhyOnThisThread() {
        LibBpf.ensureLoaded();
        String text;
        int errno;
        try (LibBpfLog.Collector c = LibBpfLog.collect()) {
            errno = openGarbage();
            text = c.text();
        }
        assertNotEquals(0, errno);
        assertTrue(text.contains("libbpf: elf"), text);
    }

    @Test
    void collectorsOfOtherThreadsDoNotSeeTheLines() throws Exception {
        LibBpf.ensureLoaded();
        AtomicReference<String> other = new AtomicReference<>();
        try (LibBpfLog.Collector mine = LibBpfLog.collect()) {
            Thread t = new Thread(() -> {
                try (LibBpfLog.Collector theirs = LibBpfLog.collect()) {
                    other.set(theirs.text());
                }
            });
            openGarbage();
            t.start();
            t.join();
            assertFalse(mine.lines().isEmpty());
            assertEquals("", other.get());
        }
    }

    @Test
    void nestedCollectorsRestoreTheOuterOne() {
        LibBpf.ensureLoaded();
        try (LibBpfLog.Collector outer = LibBpfLog.collect()) {
            try (LibBpfLog.Collector inner = LibBpfLog.collect()) {
                openGarbage();
                assertFalse(inner.lines().isEmpty());
            }
            assertTrue(outer.lines().isEmpty());
            openGarbage();
            assertFalse(outer.lines().isEmpty());
        }
    }
}
