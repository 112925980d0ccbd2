/** Pure-Java NFP-6000 microcode disassembler, NFP ELF firmware reader and JIT image decoder. */
module dev.nicoffload.jit {
}
