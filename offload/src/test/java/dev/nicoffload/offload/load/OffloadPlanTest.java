package dev.nicoffload.offload.load;

import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.testsupport.BpfC;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Objects that cannot be offloaded as written are refused before the kernel is asked. */
class OffloadPlanTest {

    private static final OffloadDevice LO = OffloadDevice.byName("lo");

    @Test
    void nonXdpNonTcProgramsAreRefused() {
        byte[] kprobe = BpfC.compile("kp", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("socket")
                int sock(void *ctx) { return 0; }
                char _license[] SEC("license") = "GPL";
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectLoader.load(kprobe, LoadOptions.offloadTo(LO)));
        assertTrue(e.getMessage().contains("SOCKET_FILTER") && e.getMessage().contains("only XDP and SCHED_CLS"), e.getMessage());
    }

    @Test
    void programFlagsAreRefused() {
        byte[] frags = BpfC.compile("frags", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("xdp.frags")
                int xdp_frags(struct xdp_md *ctx) { return XDP_PASS; }
                char _license[] SEC("license") = "GPL";
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectLoader.load(frags, LoadOptions.offloadTo(LO)));
        assertTrue(e.getMessage().contains("prog_flags 0x20"), e.getMessage());
    }

    @Test
    void unsupportedMapTypesAndGlobalDataAreRefused() {
        byte[] lru = BpfC.compile("lru", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 2); __type(key, __u32); __type(value, __u32); } lru SEC(".maps");
                SEC("xdp")
                int xdp_lru(struct xdp_md *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&lru, &k) ? XDP_DROP : XDP_PASS; }
                char _license[] SEC("license") = "GPL";
                """);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObjectLoader.load(lru, LoadOptions.offloadTo(LO)));
        assertTrue(e.getMessage().contains("LRU_HASH"), e.getMessage());
        byte[] global = BpfC.compile("global", """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                volatile int limit = 3;
                SEC("xdp")
                int xdp_global(struct xdp_md *ctx) { return limit > 2 ? XDP_DROP : XDP_PASS; }
                char _license[] SEC("license") = "GPL";
                """);
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> ObjectLoader.load(global, LoadOptions.offloadTo(LO)));
        assertTrue(g.getMessage().contains("global data"), g.getMessage());
    }

    @Test
    void optionsAreImmutableAndValidated() {
        LoadOptions host = LoadOptions.host();
        assertTrue(host.device().isEmpty());
        LoadOptions named = host.withObjectName("x");
        assertEquals("x", named.objectName().orElseThrow());
        assertTrue(host.objectName().isEmpty());
        assertEquals(LO, LoadOptions.offloadTo(LO).device().orElseThrow());
        assertThrows(NullPointerException.class, () -> LoadOptions.offloadTo(null));
        assertThrows(IllegalArgumentException.class, () -> host.withObjectName(" "));
    }
}
