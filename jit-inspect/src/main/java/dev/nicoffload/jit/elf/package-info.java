/**
 * NFP ELF files ({@code .nffw} firmware, EM_NFP objects): code sections, per-ME settings from the
 * init-CSR sections, and objdump-format listings of whole files.
 */
package dev.nicoffload.jit.elf;
