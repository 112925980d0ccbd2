package dev.nicoffload.jit.isa;

/**
 * Precomputed operand texts for the two operand encodings (10-bit unrestricted, 8-bit restricted).
 * Every text depends only on (value, bank letter, LM extension, context mode[, imm8 msb]), so the
 * tables are built once and looked up without allocating.
 */
final class Operands {
    private Operands() {}

    /** opnd10 text, index = ((ctx4*2 + bankB)*2 + lmext)*1024 + value; null marks an invalid operand. */
    private static final String[] OPND10 = new String[2 * 2 * 2 * 1024];
    /** opnd8 text, index = (((ctx4*2 + bankB)*2 + lmext)*2 + msb)*256 + value. */
    private static final String[] OPND8 = new String[2 * 2 * 2 * 2 * 256];
    /** Texts for the invalid opnd10 values, independent of bank and mode. */
    private static final String[] INVALID10 = new String[1024];

    static {
        for (int ctx4 = 0; ctx4 < 2; ctx4++) {
            for (int bank = 0; bank < 2; bank++) {
                for (int lm = 0; lm < 2; lm++) {
                    for (int v = 0; v < 1024; v++) {
                        OPND10[((ctx4 * 2 + bank) * 2 + lm) * 1024 + v] = build10(v, bank == 1 ? 'B' : 'A', lm, ctx4 == 1);
                    }
                    for (int msb = 0; msb < 2; msb++) {
                        for (int v = 0; v < 256; v++) {
                            OPND8[(((ctx4 * 2 + bank) * 2 + lm) * 2 + msb) * 256 + v] =
                                    build8(v, bank == 1 ? 'B' : 'A', lm, msb, ctx4 == 1);
                        }
                    }
                }
            }
        }
        for (int v = 0; v < 1024; v++) {
            INVALID10[v] = "<opnd:0x" + Integer.toHexString(v) + ">";
        }
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
     * @return the error flag after this operand
     */
    static boolean opnd10(StringBuilder sb, boolean err, int v, int bankB, int lmext, int ctx4) {
        if (err) {
            return true;
        }
        String s = OPND10[((ctx4 * 2 + bankB) * 2 + lmext) * 1024 + v];
        if (s == null) {
            sb.append(INVALID10[v]);
            return true;
        }
        sb.append(s);
        return false;
    }

    /** Appends an opnd8 operand unless an error was already flagged (opnd8 itself never errs). */
    static void opnd8(StringBuilder sb, boolean err, int v, int bankB, int lmext, int msb, int ctx4) {
        if (!err) {
            sb.append(OPND8[(((ctx4 * 2 + bankB) * 2 + lmext) * 2 + msb) * 256 + v]);
        }
    }

    private static String build10(int v, char bank, int lmext, boolean ctx4) {
        int n = ctx4 ? v & 0x1f : v & 0xf;
        int hiXfer = ctx4 ? 32 : 16;
        switch (v >> 6) {
            case 0x0:
                return "gpr" + bank + "_" + n;
            case 0x2, 0x3:
                return "@gpr" + bank + "_" + (v & 0x7f);
            case 0x4, 0x5:
                return "*$index" + incDec(v);
            case 0x6, 0x7:
                return "$xfer_" + (n + ((v & 0x40) != 0 ? hiXfer : 0));
            case 0x8: {
                String base = "*l$index" + (((v >> 5) & 1) + 2 * lmext);
                if ((v & 0x10) != 0) {
                    return base + ((v & 1) != 0 ? "--" : "++");
                }
                return (v & 0xf) != 0 ? base + "[" + (v & 0xf) + "]" : base;
            }
            case 0x9:
                return "*n$index" + ((v & 2) != 0 ? "++" : "");
            case 0xa:
                return "n$reg_" + n;
            case 0xc, 0xd, 0xe, 0xf:
                return "0x" + Integer.toHexString(v & 0xff);
            default:
                return null; // 0x040-0x07f and 0x2c0-0x2ff
        }
    }

    private static String build8(int o, char bank, int lmext, int msb, boolean ctx4) {
        int n = ctx4 ? o & 0x1f : o & 0xf;
        int top3 = o >> 5;
        if (top3 == 0) {
            return "gpr" + bank + "_" + n;
        }
        if (top3 == 4) {
            return "$xfer_" + n;
        }
        if (top3 == 6) {
            return "$xfer_" + (n + (ctx4 ? 32 : 16));
        }
        if ((o >> 4) == 4) {
            if ((o & 1) == 0) {
                return "*$index" + incDec(o);
            }
            return "*n$index" + ((o & 2) != 0 ? "++" : "");
        }
        if ((o >> 4) == 5) {
            String base = "*l$index" + (((o >> 3) & 1) + 2 * lmext);
            return (o & 7) != 0 ? base + "[" + (o & 7) + "]" : base;
        }
        int imm = (msb << 7) | (((o >> 6) & 3) << 5) | (o & 0x1f);
        return "0x" + Integer.toHexString(imm);
    }

    private static String incDec(int v) {
        return switch ((v >> 1) & 3) {
            case 1 -> "++";
            case 2 -> "--";
            default -> "";
        };
    }
}
