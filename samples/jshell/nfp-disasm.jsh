// Offload a program to the simulated NFP (nfpsim0), read back the microcode the kernel's NFP JIT
// produced, disassemble it and draw its control-flow graph.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh nfp-disasm
//
// The same from the command line, for an image saved to a file (bpftool prog dump jited ... file F):
//   nicoffload nfp-disasm --raw F            listing
//   nicoffload nfp-disasm --cfg F.svg --raw F  control-flow graph (Graphviz)
import dev.nicoffload.NicOffload;
import dev.nicoffload.jit.cfg.*;
import dev.nicoffload.jit.image.*;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.samples.bpf.SampleObjects;
import java.nio.file.*;
import java.util.concurrent.TimeUnit;
Process up = new ProcessBuilder("ip", "link", "set", "dev", "nfpsim0", "up").inheritIO().start();
if (!up.waitFor(30, TimeUnit.SECONDS) || up.exitValue() != 0) throw new IllegalStateException("ip link set dev nfpsim0 up failed");
var nfp = NicOffload.device("nfpsim0");
try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_BLOCKLIST.bytes(), LoadOptions.offloadTo(nfp))) {
    Program p = obj.program("xdp_blocklist");
    ProgramImage image = p.deviceImage();               // NoJitImage on netdevsim, which keeps none
    if (!(image instanceof JitImage jit)) throw new IllegalStateException("no NFP image: " + image);
    System.out.println(jit + ", layout " + jit.layout().kind() + ", body " + jit.layout().length(Region.BODY)
            + " instructions, ECC " + jit.eccState());
    System.out.print(jit.listing());                    // index, word, objdump text, branch targets
    ControlFlowGraph cfg = ControlFlowGraph.of(jit);
    System.out.println(cfg.blocks().size() + " basic blocks, " + cfg.edges().size() + " edges");
    Path dot = Files.writeString(Files.createTempDirectory("nfp").resolve("xdp_blocklist.dot"), cfg.toDot());
    System.out.println("control-flow graph: " + dot + "   (render: dot -Tsvg -o cfg.svg " + dot + ")");
}
/exit
