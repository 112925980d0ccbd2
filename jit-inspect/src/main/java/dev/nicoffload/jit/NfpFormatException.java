package dev.nicoffload.jit;

import java.io.IOException;

/**
 * Input that is not a well-formed NFP artefact: a truncated or corrupt NFP ELF file, an ELF file
 * for another machine, a JIT image whose length is not a whole number of 64-bit words, or a
 * malformed word listing. The message says what is wrong and where (offset, section, line).
 */
public final class NfpFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message describing the defect. */
    public NfpFormatException(String message) {
        super(message);
    }
}
