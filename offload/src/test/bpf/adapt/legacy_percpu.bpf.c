// A per-CPU counter defined the legacy way (struct bpf_map_def in section "maps").
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct legacy_def { unsigned int type, key_size, value_size, max_entries, map_flags; };
struct legacy_def counts SEC("maps") = { BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8, 2, 0 };

SEC("xdp")
int xdp_legacy(struct xdp_md *ctx) {
    __u32 k = 1;
    __u64 *v = bpf_map_lookup_elem(&counts, &k);
    if (v) *v += 1;
    return XDP_PASS;
}
char _license[] SEC("license") = "GPL";
