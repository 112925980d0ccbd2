package dev.nicoffload.jit.isa;

/**
 * Operand printing for the two operand encodings (10-bit unrestricted, 8-bit restricted).
 * Texts are appended piece by piece to the caller's buffer: nothing is allocated and nothing has
 * to be built at class initialisation (which keeps a short-lived CLI process fast).
 */
final class Operands {
    private Operands() {}

    static boolean isImm10(int v) {
        return (v & 0x300) == 0x300;
    }

    static boolean isImm8(int v) {
        return (v & 0x20) != 0;
    }

    /**
     * Appends an opnd10 operand unless an error was already flagged.
     *
     * @param bankB 1 for bank letter B, 0 for A
     * @return the error flag after this operand
     */
    static boolean opnd10(StringBuilder sb, boolean err, int v, int bankB, int lmext, int ctx4) {
        if (err) {
            return true;
        }
        int n = ctx4 != 0 ? v & 0x1f : v & 0xf;
        switch (v >> 6) {
            case 0x0 -> sb.append("gpr").append(bankB != 0 ? 'B' : 'A').append('_').append(n);
            case 0x2, 0x3 -> sb.append("@gpr").append(bankB != 0 ? 'B' : 'A').append('_').append(v & 0x7f);
            case 0x4, 0x5 -> incDec(sb.append("*$index"), v);
            case 0x6, 0x7 -> sb.append("$xfer_").append(n + ((v & 0x40) != 0 ? (ctx4 != 0 ? 32 : 16) : 0));
            case 0x8 -> {
                sb.append("*l$index").append(((v >> 5) & 1) + 2 * lmext);
                if ((v & 0x10) != 0) {
                    sb.append((v & 1) != 0 ? "--" : "++");
                } else if ((v & 0xf) != 0) {
                    sb.append('[').append(v & 0xf).append(']');
                }
            }
            case 0x9 -> {
                sb.append("*n$index");
                if ((v & 2) != 0) {
                    sb.append("++");
                }
            }
            case 0xa -> sb.append("n$reg_").append(n);
            case 0xc, 0xd, 0xe, 0xf -> NfpDisassembler.hex(sb.append("0x"), v & 0xff);
            default -> {
                // 0x040-0x07f and 0x2c0-0x2ff are not operands
                NfpDisassembler.hex(sb.append("<opnd:0x"), v).append('>');
                return true;
            }
        }
        return false;
    }

    /** Appends an opnd8 operand unless an error was already flagged (opnd8 itself never errs). */
    static void opnd8(StringBuilder sb, boolean err, int o, int bankB, int lmext, int msb, int ctx4) {
        if (err) {
            return;
        }
        int n = ctx4 != 0 ? o & 0x1f : o & 0xf;
        switch (o >> 5) {
            case 0 -> sb.append("gpr").append(bankB != 0 ? 'B' : 'A').append('_').append(n);
            case 4 -> sb.append("$xfer_").append(n);
            case 6 -> sb.append("$xfer_").append(n + (ctx4 != 0 ? 32 : 16));
            case 2 -> {
                if ((o & 0x10) == 0) {
                    if ((o & 1) == 0) {
                        incDec(sb.append("*$index"), o);
                    } else {
                        sb.append("*n$index");
                        if ((o & 2) != 0) {
                            sb.append("++");
                        }
                    }
                } else {
                    sb.append("*l$index").append(((o >> 3) & 1) + 2 * lmext);
                    if ((o & 7) != 0) {
                        sb.append('[').append(o & 7).append(']');
                    }
                }
            }
            default -> NfpDisassembler.hex(sb.append("0x"), (msb << 7) | (((o >> 6) & 3) << 5) | (o & 0x1f));
        }
    }

    private static void incDec(StringBuilder sb, int v) {
        switch ((v >> 1) & 3) {
            case 1 -> sb.append("++");
            case 2 -> sb.append("--");
            default -> { }
        }
    }
}
