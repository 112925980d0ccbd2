package dev.nicoffload.it.maps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nicoffload.NicOffload;
import dev.nicoffload.ffm.bpf.BpfMapCalls;
import dev.nicoffload.ffm.libc.LibC;
import dev.nicoffload.maps.OffloadMap;
import dev.nicoffload.maps.codec.Codecs;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.MapType;
import dev.nicoffload.testing.netdevsim.NetdevsimCleanup;
import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The offloaded-map refusals nicoffload has no public API for, checked with the raw calls the
 * library is built on (this test runs on the class path, where the internal packages are
 * reachable): BTF on an offloaded map and batch operations both give ENOTSUPP, errno 524
 * (offload-facts §1.7; test plan step 7 "BTF ids set").
 */
@ExtendWith(NetdevsimCleanup.class)
class KernelOnlyRefusalsTest {

    private static final int ENOTSUPP = 524;
    private static final int BTF_KIND_INT = 1;

    /** A BTF blob with two INT types: id 1 {@code u32} (4 bytes), id 2 {@code u64} (8 bytes). */
    private static byte[] twoIntTypes() {
        byte[] strings = "\0u32\0u64\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int typeLen = 2 * 16;
        ByteBuffer b = ByteBuffer.allocate(24 + typeLen + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24) // magic, version, flags, hdr_len
                .putInt(0).putInt(typeLen).putInt(typeLen).putInt(strings.length); // type_off/len, str_off/len
        b.putInt(1).putInt(BTF_KIND_INT << 24).putInt(4).putInt(32);       // "u32": 32 bits
        b.putInt(5).putInt(BTF_KIND_INT << 24).putInt(8).putInt(64);       // "u64": 64 bits
        b.put(strings);
        return b.array();
    }

    @Test
    void btfTypeIdsOnAnOffloadedMapAreNotSupported() {
        int btf = BpfMapCalls.btfLoad(twoIntTypes());
        assertTrue(btf >= 0, "BTF loads: " + btf);
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            int host = BpfMapCalls.mapCreateWithBtf(MapType.HASH.value(), 4, 8, 2, 0, btf, 1, 2);
            assertTrue(host >= 0, "the same BTF is fine for a host map: " + host);
            LibC.close(host);
            assertEquals(-ENOTSUPP, BpfMapCalls.mapCreateWithBtf(MapType.HASH.value(), 4, 8, 2, eth.ifindex(), btf, 1, 2));
        } finally {
            LibC.close(btf);
        }
    }

    @Test
    void batchLookupOnAnOffloadedMapIsNotSupported() {
        try (NetdevsimDevice dev = NetdevsimDevice.create(1)) {
            OffloadDevice eth = NicOffload.device(dev.port(0).name());
            try (OffloadMap<Integer, Long> m = OffloadMap.create(eth, MapType.ARRAY, "batch", Codecs.u32(), Codecs.u64(), 2);
                 OffloadMap<Integer, Long> host = OffloadMap.createOnHost(MapType.ARRAY, "batch", Codecs.u32(), Codecs.u64(), 2)) {
                int onHost = BpfMapCalls.lookupBatchProbe(host.handle().fd(), 4, 8, 2);
                assertTrue(onHost == 0 || onHost == -2, "host maps take batches: " + onHost);
                assertEquals(-ENOTSUPP, BpfMapCalls.lookupBatchProbe(m.handle().fd(), 4, 8, 2));
            }
        }
    }
}
