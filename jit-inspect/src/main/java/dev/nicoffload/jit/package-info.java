/**
 * NFP microcode inspection: the shared error type {@link dev.nicoffload.jit.NfpFormatException}.
 * The disassembler is in {@link dev.nicoffload.jit.isa}, the ELF firmware reader in
 * {@link dev.nicoffload.jit.elf}, JIT images in {@link dev.nicoffload.jit.image} and the command
 * logic in {@link dev.nicoffload.jit.tool}.
 */
package dev.nicoffload.jit;
