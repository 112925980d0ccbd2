package dev.nicoffload.testing.vm;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Copies one guest output port (a QEMU socket chardev) to the sink of the command running now.
 * The guest ends each command's stream with {@code NUL "NICOFFLOAD-END <id>" NUL}; the marker is
 * not copied, and {@link #awaitEnd} returns once it has been seen.
 */
final class MarkedStreamPump implements Runnable {
    private final ServerSocketChannel server;
    private final Semaphore ends = new Semaphore(0);
    private volatile OutputStream sink = OutputStream.nullOutputStream();
    private volatile byte[] marker = new byte[0];
    private volatile boolean eof;

    MarkedStreamPump(ServerSocketChannel server) {
        this.server = server;
    }

    /** Directs output to {@code sink} until the end marker of command {@code id}. */
    void expect(long id, OutputStream sink) {
        this.marker = ("\0NICOFFLOAD-END " + id + "\0").getBytes(StandardCharsets.US_ASCII);
        this.sink = sink;
    }

    /** Waits for the current command's end marker; false on timeout or when the guest went away. */
    boolean awaitEnd(long millis) throws InterruptedException {
        return ends.tryAcquire(millis, TimeUnit.MILLISECONDS) && !eof;
    }

    @Override
    public void run() {
        int matched = 0;
        try (SocketChannel channel = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            byte[] out = new byte[buffer.capacity() + 64];
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                int n = 0;
                byte[] m = marker;
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (matched < m.length && b == m[matched]) {
                        matched++;
                        if (matched == m.length) {
                            flush(out, n);
                            n = 0;
                            matched = 0;
                            ends.release();
                        }
                        continue;
                    }
                    // no partial suffix of the marker is also its prefix (NUL occurs only at its ends)
                    for (int i = 0; i < matched; i++) {
                        out[n++] = m[i];
                        if (n >= out.length - 1) {
                            flush(out, n);
                            n = 0;
                        }
                    }
                    matched = 0;
                    if (m.length > 0 && b == m[0]) {
                        matched = 1;
                    } else {
                        out[n++] = b;
                    }
                    if (n >= out.length - 1) {
                        flush(out, n);
                        n = 0;
                    }
                }
                flush(out, n);
                buffer.clear();
            }
        } catch (IOException e) {
            // the guest went away
        } finally {
            eof = true;
            ends.release(Integer.MAX_VALUE / 2);
        }
    }

    private void flush(byte[] out, int n) throws IOException {
        if (n > 0) {
            sink.write(out, 0, n);
            sink.flush();
        }
    }
}
