package dev.nicoffload.offload.tc;

import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** tc's bytecode notation and the {@code struct sock_filter} bytes handed to the kernel. */
class ClassicBpfTest {

    @Test
    void testOffloadsRetMinusOneParsesToOneInstruction() {
        ClassicBpf p = ClassicBpf.parse("1,6 0 0 4294967295,");
        assertEquals(List.of(new ClassicBpf.Instruction(6, 0, 0, -1)), p.instructions());
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
        // code 0x0006 (LE), jt 0, jf 0, k 0xffffffff
        assertEquals("06000000ffffffff", HexFormat.of().formatHex(p.toBytes()));
    }

    @Test
    void multiInstructionBytecodeKeepsOrderAndFields() {
        // tcpdump -ddd 'ip': ldh [12]; jeq #0x800 jt 0 jf 1; ret #262144; ret #0
        ClassicBpf p = ClassicBpf.parse("4,40 0 0 12,21 0 1 2048,6 0 0 262144,6 0 0 0");
        assertEquals(4, p.instructions().size());
        assertEquals(new ClassicBpf.Instruction(21, 0, 1, 2048), p.instructions().get(1));
        assertEquals(32, p.toBytes().length);
    }

    @Test
    void malformedBytecodeIsAnArgumentError() {
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("x,6 0 0 1"));
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("2,6 0 0 1"), "count disagrees");
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("1,6 0 0"), "3 fields");
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("1,6 0 0 4294967296"), "k above u32");
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("1,6 256 0 0"), "jt above u8");
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("1,a b c d"));
        assertThrows(IllegalArgumentException.class, () -> ClassicBpf.parse("0,"), "empty program");
    }
}
