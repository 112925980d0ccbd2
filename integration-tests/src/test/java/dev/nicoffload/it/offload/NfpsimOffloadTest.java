package dev.nicoffload.it.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.jit.image.JitImage;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.error.VerifierRejectedException;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.error.NfpIncompatibleException;
import dev.nicoffload.offload.load.LoadOptions;
import dev.nicoffload.offload.load.LoadedObject;
import dev.nicoffload.offload.load.Program;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.samples.bpf.SampleObjects;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Offload to nfpsim0: the NFP driver's own verifier and JIT; the JIT image is read back raw. */
class NfpsimOffloadTest {

    @Test
    void xdpPassIsJitedByTheNfpDriverAndAttachesInHwMode() throws Exception {
        OffloadDevice nfp = NicOffload.device("nfpsim0");
        try (LoadedObject obj = NicOffload.load(SampleObjects.XDP_PASS.bytes(), LoadOptions.offloadTo(nfp))) {
            Program p = obj.program("xdp_pass");
            ProgramInfo info = p.info();
            assertEquals("nfpsim0", info.ifname().orElseThrow());
            assertTrue(info.jitedLength() > 0, "the NFP JIT produced an image");
            byte[] image = p.jitedImage();
            assertEquals(info.jitedLength(), image.length);
            assertEquals(0, image.length % 8, "NFP instructions are 64-bit words");
            long first = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            assertTrue(first != 0);
            JitImage decoded = assertInstanceOf(JitImage.class, p.deviceImage());
            assertEquals(image.length / 8, decoded.words().length);
            try (XdpAttachment a = p.attachXdp(nfp, XdpMode.HW)) {
                assertEquals(info.id(), Xdp.query(nfp).programId(XdpMode.HW));
                assertTrue(Files.readAllBytes(Path.of("/sys/kernel/debug/nfpsim/hw_image")).length > 0, "driver relocated the image");
            }
            assertEquals(0, Xdp.query(nfp).programId(XdpMode.HW));
        }
    }

    @Test
    void nfpRefusalComesWithTheDriversVerifierLine() throws Exception {
        Path dir = Files.createTempDirectory("nicoffload-nfp");
        Path c = dir.resolve("xdp_ktime.bpf.c");
        Files.writeString(c, """
                #include <linux/bpf.h>
                #include <bpf/bpf_helpers.h>
                SEC("xdp")
                int xdp_ktime(struct xdp_md *ctx) { return bpf_ktime_get_ns() & 1 ? XDP_DROP : XDP_PASS; }
                char _license[] SEC("license") = "GPL";
                """);
        Path o = dir.resolve("xdp_ktime.o");
        Cmd.run("clang", "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu", "-c", c.toString(), "-o", o.toString());
        // by default the pre-checker refuses before the kernel is asked, in the driver's own words ...
        NfpIncompatibleException pre = org.junit.jupiter.api.Assertions.assertThrows(NfpIncompatibleException.class,
                () -> NicOffload.load(o, LoadOptions.offloadTo(NicOffload.device("nfpsim0"))));
        assertEquals("EOPNOTSUPP", pre.errnoName());
        assertEquals(List.of("[nfp] unsupported function id: 5"), pre.findings().stream().map(f -> f.render()).toList());
        // ... which are exactly what the kernel's NFP verifier says when asked
        VerifierRejectedException e = org.junit.jupiter.api.Assertions.assertThrows(VerifierRejectedException.class,
                () -> NicOffload.load(o, LoadOptions.offloadTo(NicOffload.device("nfpsim0")).withoutPreCheck()));
        assertEquals("EOPNOTSUPP", e.errnoName());
        assertTrue(e.verifierLog().orElseThrow().contains("[nfp] unsupported function id: 5"), e.verifierLog().orElseThrow());
    }
}
