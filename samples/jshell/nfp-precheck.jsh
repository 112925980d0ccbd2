// Ask, without loading anything, whether a program can be offloaded to an NFP, and why not.
// In the test VM:  ./nicoffload vm -- samples/jshell/run.sh nfp-precheck
// (the pre-checker is pure Java: on a machine without netdevsim the nfpsim profile part is skipped)
//
// The same from the command line: nicoffload check FILE.o [--profile nfpsim|agilio-cx|DEBUGFS_DIR]
import dev.nicoffload.NicOffload;
import dev.nicoffload.offload.error.NfpIncompatibleException;
import dev.nicoffload.offload.load.*;
import dev.nicoffload.offload.precheck.*;
import dev.nicoffload.offload.spec.ObjectSpec;
import dev.nicoffload.samples.bpf.SampleObjects;
import java.nio.file.*;
ObjectSpec spec = ObjectSpec.parse(SampleObjects.XDP_BLOCKLIST.bytes());
void report(String profile, FirmwareCapabilities caps) {
    for (CheckReport r : new NfpPreChecker(caps).check(spec)) {
        System.out.println(profile + ": " + r.program() + " " + r.verdict()
                + (r.offloadable() ? ", stack " + r.stackBytes() + " B, " + r.size().minimum() + "-" + r.size().maximum() + " NFP instructions" : ""));
        r.findings().forEach(f -> System.out.println("    " + f.render()));
    }
}
report("agilio-cx", FirmwareCapabilities.agilioCx());
// firmware without the map lookup helper: refused with the line the kernel's driver would log
FirmwareCapabilities noLookup = FirmwareCapabilities.agilioCx().toBuilder().helperMapLookup(0).build();
report("no-lookup", noLookup);
if (Files.isDirectory(FirmwareCapabilities.NFPSIM_DEBUGFS)) {   // the simulated NFP's own capabilities
    report("nfpsim0", FirmwareCapabilities.fromNfpsimDebugfs(FirmwareCapabilities.NFPSIM_DEBUGFS));
    // NicOffload.load runs the same check before an NFP load: the refusal comes before any kernel call
    try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_BLOCKLIST.bytes(),
            LoadOptions.offloadTo(NicOffload.device("nfpsim0")).withFirmware(noLookup))) {
        System.out.println("loaded?!");
    } catch (NfpIncompatibleException e) {
        System.out.println("load refused: " + e.getMessage());
    }
}
/exit
