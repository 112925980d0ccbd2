/**
 * Specs: what a BPF ELF object holds, read in pure Java before anything is loaded
 * ({@link dev.nicoffload.offload.spec.ObjectSpec}, {@link dev.nicoffload.offload.spec.ProgramSpec},
 * {@link dev.nicoffload.offload.spec.MapSpec}, {@link dev.nicoffload.offload.spec.Instruction}),
 * modelled on cilium/ebpf's specs. Specs are immutable values that can be inspected and changed
 * before load.
 */
package dev.nicoffload.offload.spec;
