/**
 * The NFP-6000/4000 (ME v2.8) instruction set: classification, the objdump-identical
 * disassembler and the code-store ECC.
 */
package dev.nicoffload.jit.isa;
