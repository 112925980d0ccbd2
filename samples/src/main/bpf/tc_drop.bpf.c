// SPDX-License-Identifier: GPL-2.0
// A cls_bpf direct-action classifier that drops everything (TC_ACT_SHOT = 2), a return
// value NFP accepts as a known constant.
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

SEC("tc")
int tc_drop(struct __sk_buff *skb)
{
	return TC_ACT_SHOT;
}

char _license[] SEC("license") = "GPL";
