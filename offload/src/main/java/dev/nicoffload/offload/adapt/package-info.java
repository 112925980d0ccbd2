/**
 * The adapter: edits a BPF ELF object so that programs the NFP refuses only because of how they keep
 * their state (per-CPU maps, LRU hashes, global data, {@code BPF_F_NO_PREALLOC}) offload, without
 * changing what they do, and reports every edit ({@link dev.nicoffload.offload.adapt.Adapter},
 * {@link dev.nicoffload.offload.adapt.AdaptationReport}). See {@code docs/adapting.md}.
 */
package dev.nicoffload.offload.adapt;
