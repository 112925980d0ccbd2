package dev.nicoffload.it.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.jit.image.ImageLayout;
import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.jit.image.JitInstruction;
import dev.nicoffload.jit.image.NoJitImage;
import dev.nicoffload.jit.image.ProgramImage;
import dev.nicoffload.jit.image.Region;
import dev.nicoffload.jit.image.RelocationTargets;
import dev.nicoffload.jit.image.RelocationType;
import dev.nicoffload.jit.isa.InstructionClass;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The kernel's own NFP JIT on the simulated NFP ({@code nfpsim0}): the image read back through
 * the info API decodes to the JIT's layout, and its relocation as computed here agrees with the
 * relocated copy with ECC the driver loaded ({@code /sys/kernel/debug/nfpsim/hw_image}).
 */
@ExtendWith(NetdevsimCleanup.class)
class NfpsimJitImageTest {
    private static final String NFPSIM = "nfpsim0";
    private static final Path HW_IMAGE = Path.of("/sys/kernel/debug/nfpsim/hw_image");

    @Test
    void xdpPassImageHasTheJitLayout() throws Exception {
        linkUp();
        OffloadDevice nfp = NicOffload.device(NFPSIM);
        try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(nfp))) {
            Program p = obj.program("xdp_pass");
            int len = p.info().jitedLength();
            assertEquals(208, len, "r0 = 2; exit as XDP: 26 NFP instructions");
            JitImage img = assertInstanceOf(JitImage.class, ProgramImage.fromProgInfo(len, p.jitedImage()));
            ImageLayout l = img.layout();
            assertEquals(ImageLayout.Kind.XDP, l.kind());
            assertEquals(2, l.length(Region.INTRO));
            assertEquals(3, l.length(Region.BODY));
            assertEquals(13, l.length(Region.OUTRO));
            assertEquals(8, l.length(Region.NOP_TAIL));
            assertEquals(JitImage.EccState.ABSENT, img.eccState(), "userspace gets the image without ECC");
            JitInstruction exit = img.instructions().get(4);
            assertEquals(RelocationType.BR_GO_OUT, exit.relocation());
            assertEquals("exit", exit.targetLabel());
            assertEquals(l.exitIndex(), exit.target());
            for (int i = l.nopStart(); i < img.size(); i++) {
                assertEquals("nop", img.instructions().get(i).text());
            }
            assertEquals(img.size(), img.classCounts().values().stream().mapToInt(Integer::intValue).sum());
            assertEquals(0, img.classCounts().get(InstructionClass.INVALID));
            assertEquals(0x000000f003f05bffL, img.words()[0]);

            try (XdpAttachment a = p.attachXdp(nfp, XdpMode.HW)) {
                assertTrue(a.isAttached());
                JitImage hw = JitImage.of(Files.readAllBytes(HW_IMAGE));
                assertEquals(img.size(), hw.size());
                assertEquals(JitImage.EccState.VALID, hw.eccState(), "the device copy carries correct ECC");
                assertEquals(0x000f20f003f05bffL, hw.words()[0]);
                assertArrayEquals(img.relocate(targetsSeenIn(img, hw)), hw.words());
            }
        }
    }

    @Test
    void netdevsimKeepsNoImage() throws Exception {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(eth))) {
                Program p = obj.program("xdp_pass");
                ProgramImage img = ProgramImage.fromProgInfo(p.info().jitedLength(), p.jitedImage());
                assertEquals(NoJitImage.NETDEVSIM, img);
                assertEquals("device keeps no image (netdevsim: jited length 0)", ((NoJitImage) img).reason());
            }
        }
    }

    /**
     * The load offset and next-packet entry are the simulated firmware's choice: read them off the
     * device copy (first relative branch, first next-packet branch). Everything else in the device
     * copy (exit/abort targets, tags cleared, ECC) must then follow from our relocation.
     */
    private static RelocationTargets targetsSeenIn(JitImage img, JitImage hw) {
        int start = -1;
        int next = -1;
        for (JitInstruction i : img.instructions()) {
            long hwWord = hw.words()[i.index()];
            int hwAddr = (int) (((hwWord >>> 40) & 1) << 13 | ((hwWord >>> 22) & 0x1fff));
            int addr = (int) (((i.word() >>> 40) & 1) << 13 | ((i.word() >>> 22) & 0x1fff));
            if (start < 0 && i.relocation() == RelocationType.BR_REL) {
                start = hwAddr - addr;
            }
            if (next < 0 && i.relocation() == RelocationType.BR_NEXT_PKT) {
                next = hwAddr;
            }
        }
        assertTrue(start >= 0 && next >= 0, "image has a relative and a next-packet branch");
        return new RelocationTargets(start, next, Map.of());
    }

    private static void linkUp() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "link", "set", "dev", NFPSIM, "up").inheritIO().start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "ip link set dev nfpsim0 up");
    }
}
