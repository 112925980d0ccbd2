/**
 * Images of the kernel's NFP BPF JIT: relocation tags, ECC, layout, branch labels, or the plain
 * statement that a device keeps no image.
 */
package dev.nicoffload.jit.image;
