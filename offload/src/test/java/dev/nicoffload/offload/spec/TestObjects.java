package dev.nicoffload.offload.spec;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the BPF objects the test build compiled from {@code src/test/bpf} with clang. */
public final class TestObjects {
    private TestObjects() {
    }

    /** @return the corpus output directory (system property {@code nicoffload.bpf.corpus}) */
    public static Path dir() {
        String d = System.getProperty("nicoffload.bpf.corpus", "target/bpf-corpus");
        return Path.of(d);
    }

    /**
     * @param name a corpus program name (file name without {@code .bpf.c})
     * @return the compiled object
     * @throws IllegalStateException if the test build did not produce it
     */
    public static Path object(String name) {
        Path p = dir().resolve(name + ".o");
        if (!Files.isRegularFile(p)) throw new IllegalStateException("corpus object missing (did the test build run clang?): " + p);
        return p;
    }

    /** @param name a corpus program name @return its spec */
    public static ObjectSpec spec(String name) {
        return ObjectSpec.read(object(name));
    }
}
