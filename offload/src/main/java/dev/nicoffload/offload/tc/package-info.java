/**
 * TC offload: the clsact qdisc, cls_bpf filters with {@code skip_sw} / {@code skip_hw}, the
 * {@code hw-tc-offload} netdev feature, and one-call attachment of an offloaded SCHED_CLS program
 * ({@link dev.nicoffload.offload.tc.Tc#attach}). Everything goes over rtnetlink and ethtool netlink,
 * so a refusal carries the kernel's or driver's extack text.
 */
package dev.nicoffload.offload.tc;
