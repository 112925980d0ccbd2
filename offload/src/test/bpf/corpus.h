/* Shared includes of the NFP pre-checker test corpus. Each program is one rule or message of the
 * NFP offload rules (offload-facts.md section 1), or an accepted twin that must produce no finding. */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* Emits one raw eBPF instruction (8 bytes, little-endian) where clang has no syntax for it. */
#define RAW_INSN(q) asm volatile(".quad " #q ::: "r0", "r1", "r2", "r3", "r4", "r5", "memory")

#define ARRAY_MAP(name, val_t, n)              \
	struct {                               \
		__uint(type, BPF_MAP_TYPE_ARRAY); \
		__uint(max_entries, n);        \
		__type(key, __u32);            \
		__type(value, val_t);          \
	} name SEC(".maps")

/* A host perf event array (offload-neutral): the target of bpf_perf_event_output. */
#define PERF_MAP(name)                                    \
	struct {                                          \
		__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); \
		__uint(key_size, sizeof(__u32));          \
		__uint(value_size, sizeof(__u32));        \
	} name SEC(".maps")

char _license[] SEC("license") = "GPL";
