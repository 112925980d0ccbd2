package dev.nicoffload.testing.netdevsim;

/**
 * A program bound to a netdevsim device, as its debugfs directory {@code bpf_bound_progs/<n>} shows it.
 *
 * @param programId the kernel's program id
 * @param state     {@code verify} until translated, then {@code xlated}
 * @param loaded    whether the program is currently offloaded (attached in HW mode or as a TC filter)
 */
public record BoundProgram(int programId, String state, boolean loaded) {
}
