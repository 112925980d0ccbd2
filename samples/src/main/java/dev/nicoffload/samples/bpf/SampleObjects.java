package dev.nicoffload.samples.bpf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The sample BPF objects compiled by clang ({@code -O2 -g -target bpf}) during the build from
 * {@code samples/src/main/bpf/*.bpf.c}, shipped as resources of this module.
 */
public enum SampleObjects {
    /** XDP program returning {@code XDP_PASS}, no maps. */
    XDP_PASS("xdp_pass"),
    /** XDP program counting packets with {@code __sync_fetch_and_add} in a 2-entry ARRAY map {@code packets}. */
    XDP_COUNTER("xdp_counter"),
    /** XDP program with a HASH map {@code htab} and an ARRAY map {@code array} (u32 key, u64 value, 2 entries). */
    XDP_MAPS_RET0("xdp_maps_ret0"),
    /** cls_bpf direct-action classifier returning {@code TC_ACT_SHOT}. */
    TC_DROP("tc_drop"),
    /**
     * XDP program dropping IPv4 packets whose source address is a key of the 2-entry HASH map
     * {@code blocked} (u32 key: the address in network byte order; u64 value: a drop counter the
     * program adds to atomically).
     */
    XDP_BLOCKLIST("xdp_blocklist"),
    /**
     * XDP program counting packets the way most real programs do: {@code *count += 1} in slot 0 of a
     * 2-entry PERCPU_ARRAY {@code packets}. Refused by the NIC as written; offloads once adapted
     * ({@code LoadOptions.adapting}, docs/adapting.md).
     */
    XDP_PERCPU_COUNTER("xdp_percpu_counter");

    private final String baseName;

    SampleObjects(String baseName) {
        this.baseName = baseName;
    }

    /** The object's base name, e.g. {@code xdp_pass}; also the name of its one program. */
    public String baseName() {
        return baseName;
    }

    /** The ELF bytes of the compiled object. */
    public byte[] bytes() {
        try (InputStream in = SampleObjects.class.getResourceAsStream(baseName + ".o")) {
            if (in == null) {
                throw new IllegalStateException(baseName + ".o is missing from the samples module: build it with ./mvnw package");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the object into {@code dir} as {@code <baseName>.o} and returns its path. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Path target = dir.resolve(baseName + ".o");
            try (InputStream in = new java.io.ByteArrayInputStream(bytes())) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every sample, in declaration order. */
    public static List<SampleObjects> all() {
        return List.of(values());
    }
}
