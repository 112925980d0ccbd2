package dev.nicoffload.offload.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Compiles small BPF C programs with clang at test time (as the samples build does). */
public final class BpfC {

    private BpfC() {
    }

    /** Compiles {@code source} to a BPF object and returns its bytes. */
    public static byte[] compile(String name, String source) {
        try {
            Path dir = Files.createTempDirectory("nicoffload-bpfc");
            Path c = dir.resolve(name + ".bpf.c");
            Path o = dir.resolve(name + ".o");
            Files.writeString(c, source);
            Process p = new ProcessBuilder("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu",
                    "-c", c.toString(), "-o", o.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("clang failed for " + name + ":\n" + out);
            }
            byte[] bytes = Files.readAllBytes(o);
            Files.delete(o);
            Files.delete(c);
            Files.delete(dir);
            return bytes;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** An XDP program returning XDP_PASS. */
    public static final String XDP_PASS = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            SEC("xdp")
            int xdp_pass(struct xdp_md *ctx) { return XDP_PASS; }
            char _license[] SEC("license") = "GPL";
            """;

    /** An XDP program with a HASH map {@code htab} and an ARRAY map {@code counts}. */
    public static final String XDP_MAPS = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } htab SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u64); } counts SEC(".maps");
            SEC("xdp")
            int xdp_maps(struct xdp_md *ctx) {
                __u32 k = 0;
                __u64 *v = bpf_map_lookup_elem(&htab, &k);
                if (!v) return XDP_PASS;
                v = bpf_map_lookup_elem(&counts, &k);
                if (v) __sync_fetch_and_add(v, 1);
                return XDP_PASS;
            }
            char _license[] SEC("license") = "GPL";
            """;

    /** An XDP program the verifier refuses: it reads the packet without a bounds check. */
    public static final String XDP_BAD = """
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            SEC("xdp")
            int xdp_bad(struct xdp_md *ctx) {
                unsigned char *data = (unsigned char *)(long)ctx->data;
                return data[0];
            }
            char _license[] SEC("license") = "GPL";
            """;
}
