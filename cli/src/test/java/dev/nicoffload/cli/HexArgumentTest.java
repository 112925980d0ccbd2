package dev.nicoffload.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The hex bytes of {@code map lookup|update|delete --key/--value}. */
class HexArgumentTest {
    private static final byte[] ONE = {1, 0, 0, 0};

    @Test
    void groupsWithOrWithoutAPrefixGiveTheSameBytes() {
        assertArrayEquals(ONE, MapCommand.hex(List.of("01", "00", "00", "00"), "key"));
        assertArrayEquals(ONE, MapCommand.hex(List.of("01 00 00 00"), "key"));
        assertArrayEquals(ONE, MapCommand.hex(List.of("01000000"), "key"));
        assertArrayEquals(ONE, MapCommand.hex(List.of("0x01000000"), "key"));
        assertArrayEquals(ONE, MapCommand.hex(List.of("0X01", "0x00", "0x0000"), "key"));
        assertArrayEquals(new byte[] {(byte) 0xab, (byte) 0xcd}, MapCommand.hex(List.of(" 0xAbcD\t"), "key"));
    }

    @Test
    void zeroXIsAPrefixOnly() {
        // before: every "0x" was deleted wherever it stood, and 010x000000 became 01000000
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of("010x000000"), "key"));
        assertTrue(e.getMessage().contains("bad group '010x000000'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of("0x0x01"), "key"));
        assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of("01", "0x"), "key"));
        assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of("0x1"), "key"));
        assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of("00", "0"), "key"));
        assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of(" "), "key"));
        assertThrows(IllegalArgumentException.class, () -> MapCommand.hex(List.of("zz"), "key"));
    }

    @Test
    void theEchoedInputHasNoControlCharacters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MapCommand.hex(List.of("00\u001b]0;owned\u0007"), "value"));
        assertTrue(e.getMessage().startsWith("value must be hex bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("'00\\x1b]0;owned\\x07'"), e.getMessage());
        assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20), e.getMessage());
    }
}
