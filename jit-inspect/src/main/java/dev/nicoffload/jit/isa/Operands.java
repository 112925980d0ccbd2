package dev.nicoffload.jit.isa;

/**
 * Operand printing for the two operand encodings (10-bit unrestricted, 8-bit restricted).
 * Each operand text depends only on (value, bank, LM extension, context mode[, imm8 msb]); it is
 * built the first time it is needed and then appended from a table in one step. Nothing is built
 * at class initialisation, which keeps a short-lived CLI process fast. Filling a table slot twice
 * from two threads is harmless (equal immutable strings).
 */
final class Operands {
    private Operands() {}

    /** opnd10 texts, index ((ctx4*2 + bankB)*2 + lmext)*1024 + value; null until first use. */
    private static final String[] OPND10 = new String[8 * 1024];
    /** opnd8 texts, index (((ctx4*2 + bankB)*2 + lmext)*2 + msb)*256 + value; null until first use. */
    private static final String[] OPND8 = new String[16 * 256];

    private static boolean isInvalid10(int v) {
        int kind = v >> 6;
        return kind == 0x1 || kind == 0xb;
    }

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
        if (isInvalid10(v)) {
            NfpDisassembler.hex(sb.append("<opnd:0x"), v).append('>');
            return true;
        }
        int slot = ((ctx4 * 2 + bankB) * 2 + lmext) * 1024 + v;
        String text = OPND10[slot];
        if (text == null) {
            StringBuilder b = new StringBuilder(16);
            build10(b, v, bankB, lmext, ctx4);
            OPND10[slot] = text = b.toString();
        }
        sb.append(text);
        return false;
    }

    private static void build10(StringBuilder sb, int v, int bankB, int lmext, int ctx4) {
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
            default -> throw new IllegalArgumentException("not an operand: " + v); // excluded by isInvalid10
        }
    }

    /** Appends an opnd8 operand unless an error was already flagged (opnd8 itself never errs). */
    static void opnd8(StringBuilder sb, boolean err, int o, int bankB, int lmext, int msb, int ctx4) {
        if (err) {
            return;
        }
        int slot = (((ctx4 * 2 + bankB) * 2 + lmext) * 2 + msb) * 256 + o;
        String text = OPND8[slot];
        if (text == null) {
            StringBuilder b = new StringBuilder(16);
            build8(b, o, bankB, lmext, msb, ctx4);
            OPND8[slot] = text = b.toString();
        }
        sb.append(text);
    }

    private static void build8(StringBuilder sb, int o, int bankB, int lmext, int msb, int ctx4) {
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
