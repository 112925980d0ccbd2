/**
 * Pure-Java NFP-6000/4000 (ME v2.8) microcode disassembler that prints what GNU objdump 2.40
 * prints, an NFP ELF ({@code .nffw}) firmware reader and a decoder for the kernel NFP JIT's images.
 */
@SuppressWarnings("module") // the qualified-export targets are compiled after this module
module dev.nicoffload.jit {
    exports dev.nicoffload.jit;
    exports dev.nicoffload.jit.isa;
    exports dev.nicoffload.jit.elf;
    exports dev.nicoffload.jit.image;
    exports dev.nicoffload.jit.tool;
    exports dev.nicoffload.jit.cfg;
    exports dev.nicoffload.jit.io to dev.nicoffload.offload, dev.nicoffload.cli;
}
