package dev.nicoffload.jit.isa;

import static dev.nicoffload.jit.isa.Operands.isImm10;
import static dev.nicoffload.jit.isa.Operands.isImm8;
import static dev.nicoffload.jit.isa.Operands.opnd10;
import static dev.nicoffload.jit.isa.Operands.opnd8;

/**
 * Disassembler for NFP-6000/NFP-4000 (ME v2.8) microcode words. It prints, for every 64-bit word,
 * exactly the text GNU objdump 2.40 prints for {@code -m nfp} (without the PC prefix, i.e. as with
 * {@code -M no-pc}; see {@link #appendPcPrefix} for the prefix).
 *
 * <p>Instances are immutable and thread-safe. Each word is decoded on its own; the output depends
 * only on the word and on the two per-ME settings held here: the number of contexts (4 or 8) and
 * 32-bit third-party addressing. {@link #disassemble(long, StringBuilder)} appends to a caller's
 * buffer and allocates nothing.
 */
public final class NfpDisassembler {
    /** The suffix objdump appends to an instruction it flags as an error (a real TAB). */
    public static final String ERROR_SUFFIX = "\t # ERROR";

    private static final NfpDisassembler DEFAULT = new NfpDisassembler(false, false);

    /** alu_shf operators with their separators. */
    private static final String[] SHF_OPS = {", B, ", ", ~B, ", ", AND, ", ", ~AND, ", ", AND~, ", ", OR, "};
    private static final String[] ALU_OPS = {
        "B", "+", null, "pop_count3", "~B", "+16", "pop_count1", "pop_count2",
        "AND", "+8", null, "cam_clear", "~AND", "-carry", "ffs", "cam_read_tag",
        "AND~", "+carry", null, "cam_write", "OR", "-", null, "cam_lookup",
        "XOR", "B-A", null, "cam_write_state", null, null, null, "cam_read_state"
    };
    /** ALU operators with their separators ({@code , +, }); null for unnamed codes. */
    private static final String[] ALU_OPS_SEP = new String[32];
    private static final String[] CRC_OPS = {"--", null, "crc_ccitt", null, "crc_32", "crc_iscsi", "crc_10", "crc_5"};
    private static final String[] CRC_BYTES = {
        null, "bytes_1_3", "bytes_2_3", "byte_3", "bytes_0_2", "bytes_0_1", "byte_0", "(null)"
    };
    private static final String[] BRANCH_OPS = {
        "beq", "bne", "bmi", "bpl", "bcs", "bcc", "bvs", "bvc", "bge", "blt", "ble", "bgt",
        null, null, null, null,
        "br=ctx", "br!=ctx", "br_signal", "br_!signal", "br_inp_state", "br_!inp_state",
        "br_cls_state", "br_!cls_state", "br", null, null, null, null, null, null, null
    };
    private static final String[] MUL_TYPES = {"start", "24x8", "16x16", "32x32"};
    private static final String[] MUL_STEPS = {"step1", "step2", "step3", "step4", "last", "last2", null, null};
    private static final String[] CMD_TARGET_NAMES = new String[16];
    /** Local CSR names by CSR number; null = printed as its byte address in hex. */
    private static final String[] CSR_NAMES = new String[128];
    private static final String[] INPUT_STATES = new String[16];
    private static final String[] MASK_BITS = new String[16];

    static {
        for (int op = 0; op < 32; op++) {
            if (ALU_OPS[op] != null) {
                ALU_OPS_SEP[op] = new StringBuilder(16).append(", ").append(ALU_OPS[op]).append(", ").toString();
            }
        }
        CMD_TARGET_NAMES[6] = "ila";
        CMD_TARGET_NAMES[1] = "nbi";
        CMD_TARGET_NAMES[9] = "pcie";
        CMD_TARGET_NAMES[12] = "crypto";
        CMD_TARGET_NAMES[10] = "arm";
        CMD_TARGET_NAMES[14] = "ct";
        CMD_TARGET_NAMES[2] = "sram";
        CMD_TARGET_NAMES[7] = "mem";
        CMD_TARGET_NAMES[15] = "cls";
        String[] csrs = {
            "UstorAddr", null, "UstorDataUpr", "UstorErrStat", "ALUOut", "CtxArbCtrl", "CtxEnables",
            "CondCodeEn", "CSRCtxPtr", "PcBreakpoint0", "PcBreakpoint1", "PcBreakpointStatus", "RegErrStatus",
            "LMErrStatus", "LMeccErrorMask", null, "IndCtxStatus", "ActCtxStatus", "IndCtxSglEvt",
            "ActCtxSglEvt", "IndCtxWkpEvt", "ActCtxWkpEvt", "IndCtxFtrCnt", "ActCtxFtrCnt", "IndLMAddr0",
            "ActLMAddr0", "IndLMAddr1", "ActLMAddr1", "ByteIndex", "XferIndex", "IndFtrCntSgl", "ActFtrCntSgl",
            "NNPut", "NNGet", null, null, "IndLMAddr2", "ActLMAddr2", "IndLMAddr3", "ActLMAddr3",
            "IndLMAddr2BytIdx", "ActLMAddr2BytIdx", "IndLMAddr3BytIdx", "ActLMAddr3BytIdx", "IndPredCC", null,
            null, null, "TimestampLow", "TimestampHgh", null, null, null, null, null, null, "IndLMAddr0BytIdx",
            "ActLMAddr0BytIdx", "IndLMAddr1BytIdx", "ActLMAddr1BytIdx", null, "XfrAndBytIdx", null, null,
            "NxtNghbrSgl", "PrvNghbrSgl", "SameMESignal"
        };
        System.arraycopy(csrs, 0, CSR_NAMES, 0, csrs.length);
        CSR_NAMES[80] = "CRCRemainder";
        CSR_NAMES[81] = "ProfileCnt";
        CSR_NAMES[82] = "PseudoRndNum";
        CSR_NAMES[88] = "MiscControl";
        CSR_NAMES[89] = "PcBreakpoint0Mask";
        CSR_NAMES[90] = "PcBreakpoint1Mask";
        CSR_NAMES[92] = "Mailbox0";
        CSR_NAMES[93] = "Mailbox1";
        CSR_NAMES[94] = "Mailbox2";
        CSR_NAMES[95] = "Mailbox3";
        CSR_NAMES[100] = "CmdIndirectRef0";
        INPUT_STATES[0] = "nn_empty";
        INPUT_STATES[1] = "nn_full";
        for (int k = 0; k < 14; k++) {
            INPUT_STATES[k + 2] = new StringBuilder("ctm_ring").append(k).append("_status").toString();
        }
        for (int i = 0; i < 16; i++) {
            char[] bits = new char[4];
            for (int b = 0; b < 4; b++) {
                bits[b] = (i & (8 >> b)) != 0 ? '1' : '0';
            }
            MASK_BITS[i] = new String(bits);
        }
    }

    private final int ctx4;
    private final boolean thirdParty32;

    private NfpDisassembler(boolean fourContexts, boolean thirdParty32) {
        this.ctx4 = fourContexts ? 1 : 0;
        this.thirdParty32 = thirdParty32;
    }

    /** The default configuration: 8 contexts, 40-bit third-party addressing. */
    public static NfpDisassembler defaults() {
        return DEFAULT;
    }

    /**
     * A disassembler for the given per-ME settings.
     *
     * @param fourContexts 4-context mode (CtxEnables bit 31, or objdump {@code -M ctx4}); changes
     *     the numbering of relative GPRs, transfer and next-neighbour registers
     * @param thirdParty32 32-bit third-party addressing (MiscControl bit 4); changes the separator
     *     of command modes 2 and 3
     */
    public static NfpDisassembler of(boolean fourContexts, boolean thirdParty32) {
        return fourContexts || thirdParty32 ? new NfpDisassembler(fourContexts, thirdParty32) : DEFAULT;
    }

    /**
     * Builds the decoder's tables now instead of on first use (they take a few milliseconds before
     * the JIT compiler has seen the code). A short-lived tool can call this on a spare thread while
     * it reads its input; calling it more than once, or from several threads, is harmless.
     */
    public static void preload() {
        CommandNames.lookup(0, 0, 0, 0);
    }

    /** Whether this disassembler numbers registers for 4 contexts. */
    public boolean fourContexts() {
        return ctx4 == 1;
    }

    /** Whether this disassembler uses 32-bit third-party addressing. */
    public boolean thirdParty32() {
        return thirdParty32;
    }

    /** The text of one word, as objdump prints it with {@code -M no-pc}. */
    public String disassemble(long word) {
        StringBuilder sb = new StringBuilder(64);
        disassemble(word, sb);
        return sb.toString();
    }

    /**
     * Appends the text of one word (without PC prefix) to {@code out}.
     *
     * @return true if objdump flags the word as an error (the text then ends in {@link #ERROR_SUFFIX})
     */
    public boolean disassemble(long word, StringBuilder out) {
        boolean err = switch (classify(word)) {
            case 0 -> cmd(word, out);
            case 1 -> aluShf(word, out);
            case 2 -> alu(word, out);
            case 3 -> immed(word, out);
            case 4 -> ldField(word, out);
            case 5 -> ctxArb(word, out);
            case 6 -> localCsr(word, out);
            case 7 -> branch(word, out);
            case 8 -> brByte(word, out);
            case 9 -> brBit(word, out);
            case 10 -> brAlu(word, out);
            case 11 -> mult(word, out);
            default -> invalid(word, out);
        };
        if (err) {
            out.append(ERROR_SUFFIX);
        }
        return err;
    }

    /**
     * Appends objdump's PC prefix ({@code spaces . pc two-spaces}) for instruction {@code index} of
     * a section of {@code sectionWords} words.
     *
     * @param sharedCodeStore MiscControl bit 2 of the section's ME (PC numbers are doubled)
     * @param meNumber the section's ME number (odd MEs add 1 in shared-code-store mode)
     */
    public static void appendPcPrefix(StringBuilder out, long index, long sectionWords,
                                      boolean sharedCodeStore, int meNumber) {
        for (int i = pcPadding(index, sectionWords, sharedCodeStore, meNumber); i > 0; i--) {
            out.append(' ');
        }
        out.append('.').append(pcNumber(index, sharedCodeStore, meNumber)).append("  ");
    }

    /**
     * The PC number objdump prints for instruction {@code index} of a section: the index, or with a
     * shared code store twice the index plus one on odd MEs.
     */
    public static long pcNumber(long index, boolean sharedCodeStore, int meNumber) {
        return sharedCodeStore ? 2 * index + (meNumber & 1) : index;
    }

    /** The spaces before the {@code .pc} of instruction {@code index}, so that the PC numbers of a section line up. */
    public static int pcPadding(long index, long sectionWords, boolean sharedCodeStore, int meNumber) {
        return decimalDigits(pcNumber(sectionWords, sharedCodeStore, meNumber))
                - decimalDigits(pcNumber(index, sharedCodeStore, meNumber));
    }

    /** Number of decimal digits of a non-negative {@code v}. */
    public static int decimalDigits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /** Class index in decode order (0 = cmd ... 11 = mult), 12 = invalid; same as {@link InstructionClass#ordinal}. */
    static int classify(long w) {
        if ((w & 0x008000000000L) == 0) {
            return 0;
        }
        switch ((int) (w >>> 35) & 0x1f) {
            case 0x10, 0x11, 0x12, 0x13:
                return 1;
            case 0x14, 0x15, 0x16, 0x17:
                return 2;
            case 0x18:
                return (w & 0x01fa00e00000L) == 0x00c000000000L ? 4 : 12;
            case 0x19:
                return 8;
            case 0x1a:
                return (w & 0x00f800080300L) == 0x00d000000000L ? 9 : 12;
            case 0x1b:
                return (w & 0x00f8000c3ce0L) == 0x00d800000020L ? 7 : 12;
            case 0x1c:
                return 5;
            case 0x1d:
                return (w & 0x00ff80000000L) == 0x00e800000000L ? 10 : 12;
            case 0x1e:
                return (w & 0x01f900000000L) == 0x00f000000000L ? 3 : 12;
            case 0x1f:
                if ((w & 0x01fe00100000L) == 0x00fc00000000L) {
                    return 6;
                }
                return (w & 0x00fe3f000000L) == 0x00f800000000L ? 11 : 12;
            default:
                return 12;
        }
    }

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();
    /** {@code %x} texts of 0..255, then {@code %02x} texts; null until first use. */
    private static final String[] HEX_BYTES = new String[512];

    /** Appends {@code v} as unsigned lowercase hex without leading zeros (C's {@code %x}). */
    static StringBuilder hex(StringBuilder sb, long v) {
        if ((v & ~0xffL) == 0) {
            return sb.append(hexByte((int) v, false));
        }
        // two digits at a time; the leading byte without its leading zero
        int shift = (63 - Long.numberOfLeadingZeros(v)) & ~7;
        sb.append(hexByte((int) (v >>> shift) & 0xff, false));
        for (shift -= 8; shift >= 0; shift -= 8) {
            sb.append(hexByte((int) (v >>> shift) & 0xff, true));
        }
        return sb;
    }

    /** {@code %x} (or {@code %02x}) of a byte, from a table filled on first use. */
    private static String hexByte(int b, boolean twoDigits) {
        int slot = twoDigits ? b + 256 : b;
        String s = HEX_BYTES[slot];
        if (s == null) {
            char[] c = twoDigits || b > 0xf
                    ? new char[] {HEX_DIGITS[b >> 4], HEX_DIGITS[b & 0xf]}
                    : new char[] {HEX_DIGITS[b]};
            HEX_BYTES[slot] = s = new String(c);
        }
        return s;
    }

    private static int bits(long w, int hi, int lo) {
        return (int) ((w >>> lo) & ((1L << (hi - lo + 1)) - 1));
    }

    private static int bit(long w, int b) {
        return (int) (w >>> b) & 1;
    }

    /** Flag texts indexed by no_cc | gpr_wrboth << 1 | predicate_cc << 2, in objdump's order. */
    private static final String[] FLAGS = {
        "", ", no_cc", ", gpr_wrboth", ", no_cc, gpr_wrboth",
        ", predicate_cc", ", no_cc, predicate_cc", ", gpr_wrboth, predicate_cc", ", no_cc, gpr_wrboth, predicate_cc"
    };
    private static final String[] DEFERS = {"", ", defer[1]", ", defer[2]", ", defer[3]"};

    private static void flags(StringBuilder sb, long w, boolean noCc) {
        int i = (noCc ? bit(w, 40) : 0) | bit(w, 41) << 1 | bit(w, 44) << 2;
        if (i != 0) {
            sb.append(FLAGS[i]);
        }
    }

    private static int branchAddress(long w) {
        return (bit(w, 40) << 13) | bits(w, 34, 22);
    }

    private static void defer(StringBuilder sb, long w) {
        int d = bits(w, 21, 20);
        if (d != 0) {
            sb.append(DEFERS[d]);
        }
    }

    private boolean aluShf(long w, StringBuilder sb) {
        int swap = bit(w, 19);
        int a = swap != 0 ? bits(w, 17, 10) : bits(w, 7, 0);
        int b = swap != 0 ? bits(w, 7, 0) : bits(w, 17, 10);
        int sc = bits(w, 9, 8);
        int msb = bit(w, 18);
        int dst = bits(w, 27, 20);
        int shift = bits(w, 32, 28);
        int op = bits(w, 35, 33);
        int dstBank = bit(w, 36);
        int dstLm = bit(w, 43);
        int srcLm = bit(w, 42);
        int aBank = swap; // after a swap the A slot prints bank B and the B slot bank A
        int bBank = swap ^ 1;
        if (op <= 6) {
            sb.append(sc == 3 ? "dbl_shf[" : op == 6 ? "asr[" : "alu_shf[");
            dst8(sb, dst, dstBank, dstLm, msb);
            sb.append(", ");
            if (op != 6) {
                if (op < 2 && sc != 3) {
                    sb.append("--");
                } else {
                    opnd8(sb, false, a, aBank, srcLm, msb, ctx4);
                }
                sb.append(sc != 3 ? SHF_OPS[op] : ", ");
            }
            opnd8(sb, false, b, bBank, srcLm, msb, ctx4);
            sb.append(shiftText(sc, shift));
        } else {
            sb.append(sc == 2 ? "byte_align_le[" : "byte_align_be[");
            dst8(sb, dst, dstBank, dstLm, msb);
            sb.append(", ");
            if (sc == 2) {
                opnd8(sb, false, a, aBank, 0, msb, ctx4);
            } else {
                opnd8(sb, false, b, bBank, 0, msb, ctx4);
            }
            sb.append(']');
        }
        flags(sb, w, true);
        return false;
    }

    /** alu_shf shift texts with separator and closing bracket, by sc*32 + shift; filled on first use. */
    private static final String[] SHIFT_TEXTS = new String[128];

    private static String shiftText(int sc, int shift) {
        String s = SHIFT_TEXTS[sc * 32 + shift];
        if (s == null) {
            StringBuilder b = new StringBuilder(16).append(", ");
            switch (sc) {
                case 0 -> b.append(">>rot").append(shift);
                case 2 -> shiftAmount(b, true, shift);
                default -> shiftAmount(b, false, shift);
            }
            SHIFT_TEXTS[sc * 32 + shift] = s = b.append(']').toString();
        }
        return s;
    }

    /** {@code <<(32-n)} / {@code >>n}, or {@code <<indirect} / {@code >>indirect} for a zero amount. */
    private static void shiftAmount(StringBuilder sb, boolean left, int shift) {
        sb.append(left ? "<<" : ">>");
        if (shift == 0) {
            sb.append("indirect");
        } else {
            sb.append(left ? 32 - shift : shift);
        }
    }

    private void dst8(StringBuilder sb, int dst, int bank, int lm, int msb) {
        if (isImm8(dst)) {
            sb.append("--");
        } else {
            opnd8(sb, false, dst, bank, lm, msb, ctx4);
        }
    }

    private boolean alu(long w, StringBuilder sb) {
        int swap = bit(w, 30);
        int a = swap != 0 ? bits(w, 19, 10) : bits(w, 9, 0);
        int b = swap != 0 ? bits(w, 9, 0) : bits(w, 19, 10);
        int dst = bits(w, 29, 20);
        int op = bits(w, 35, 31);
        int dstBank = bit(w, 36);
        int dstLm = bit(w, 43);
        int srcLm = bit(w, 42);
        int aBank = swap; // after a swap the A slot prints bank B and the B slot bank A
        int bBank = swap ^ 1;
        boolean err = false;
        switch (op) {
            case 3, 14, 15, 31 -> {
                sb.append(ALU_OPS[op]).append('[');
                err = dest10(sb, err, dst, dstBank, dstLm);
                sb.append(", ");
                err = opnd10(sb, err, b, bBank, srcLm, ctx4);
                sb.append(']');
            }
            case 6, 7 -> {
                sb.append(ALU_OPS[op]).append('[');
                err = opnd10(sb, err, b, bBank, srcLm, ctx4);
                sb.append(']');
            }
            case 11 -> sb.append("cam_clear");
            case 23 -> {
                sb.append("cam_lookup[");
                err = dest10(sb, err, dst, dstBank, dstLm);
                sb.append(", ");
                err = opnd10(sb, err, a, aBank, srcLm, ctx4);
                sb.append(']');
                if ((b & 3) != 0) {
                    sb.append(", lm_addr").append(((b >> 1) & 1) + ((b & 0x10) != 0 ? 2 : 0))
                            .append('[').append((b >> 2) & 3).append(']');
                }
            }
            case 19 -> {
                sb.append("cam_write[");
                err = opnd10(sb, err, b, bBank, srcLm, ctx4);
                sb.append(", ");
                err = opnd10(sb, err, a, aBank, srcLm, ctx4);
                sb.append(", ").append(dst & 0xf).append(']');
            }
            case 27 -> {
                sb.append("cam_write_state[");
                err = opnd10(sb, err, b, bBank, srcLm, ctx4);
                sb.append(", ").append(dst & 0xf).append(']');
            }
            case 18 -> {
                sb.append((a & 8) != 0 ? "crc_le[" : "crc_be[");
                String crcOp = CRC_OPS[(a >> 5) & 7];
                if (crcOp != null) {
                    sb.append(crcOp).append(", ");
                } else {
                    sb.append(", <invalid CRC operator>, ");
                    err = true;
                }
                err = dest10(sb, err, dst, dstBank, dstLm);
                sb.append(", ");
                err = opnd10(sb, err, b, bBank, srcLm, ctx4);
                sb.append(']');
                if ((a & 7) != 0) {
                    sb.append(", ").append(CRC_BYTES[a & 7]);
                }
                if ((a & 0x10) != 0) {
                    sb.append(", bit_swap");
                }
            }
            default -> {
                sb.append("alu[");
                err = dest10(sb, err, dst, dstBank, dstLm);
                sb.append(", ");
                if (op == 0 || op == 4) {
                    sb.append("--");
                } else {
                    err = opnd10(sb, err, a, aBank, srcLm, ctx4);
                }
                String name = ALU_OPS_SEP[op];
                if (name != null) {
                    sb.append(name);
                } else {
                    hex(sb.append(", <operator:0x"), op).append(">, ");
                    err = true;
                }
                err = opnd10(sb, err, b, bBank, srcLm, ctx4);
                sb.append(']');
            }
        }
        flags(sb, w, true);
        return err;
    }

    private boolean dest10(StringBuilder sb, boolean err, int dst, int bank, int lm) {
        if (isImm10(dst)) {
            sb.append("--");
            return err;
        }
        return opnd10(sb, err, dst, bank, lm, ctx4);
    }

    private boolean immed(long w, StringBuilder sb) {
        int a = bits(w, 9, 0);
        int b = bits(w, 19, 10);
        int immHi = bits(w, 27, 20);
        int by = bit(w, 29);
        int wd = bit(w, 30);
        int invert = bit(w, 31);
        int byteShift = bits(w, 34, 33);
        int lm = bit(w, 43);
        boolean aImm = isImm10(a);
        boolean bImm = isImm10(b);
        int v;
        if (bImm) {
            v = (immHi << 8) | (b & 0xff);
            if (aImm && v == 0) {
                sb.append("nop");
                return false;
            }
        } else {
            v = (immHi << 8) | (aImm ? a & 0xff : 0xffffffff);
        }
        if (invert != 0) {
            v = (v ^ 0xffff) | 0xffff0000;
        }
        if (by != 0) {
            sb.append("immed_b").append(byteShift).append('[');
            v &= 0xff;
        } else if (wd != 0) {
            sb.append("immed_w").append(byteShift >> 1).append('[');
            v &= 0xffff;
        } else {
            sb.append("immed[");
        }
        boolean err = false;
        if (aImm && bImm) {
            sb.append("--");
        } else if (aImm) {
            err = opnd10(sb, false, b, 1, lm, ctx4);
        } else {
            err = opnd10(sb, false, a, 0, lm, ctx4);
        }
        hex(sb.append(", 0x"), v & 0xffffffffL);
        if (by == 0 && wd == 0 && byteShift != 0) {
            sb.append(", <<").append(8 * byteShift);
        }
        sb.append(']');
        flags(sb, w, false);
        return err;
    }

    private boolean ldField(long w, StringBuilder sb) {
        int swap = bit(w, 19);
        int a = swap != 0 ? bits(w, 17, 10) : bits(w, 7, 0);
        int b = swap != 0 ? bits(w, 7, 0) : bits(w, 17, 10);
        int sc = bits(w, 9, 8);
        int msb = bit(w, 18);
        int mask = bits(w, 27, 24);
        int shift = bits(w, 32, 28);
        int firstBank = swap; // after a swap the first slot prints bank B
        int secondBank = swap ^ 1;
        sb.append(bit(w, 20) != 0 ? "ld_field_w_clr[" : "ld_field[");
        opnd8(sb, false, a, firstBank, bit(w, 43), msb, ctx4);
        sb.append(", ").append(MASK_BITS[mask]).append(", ");
        opnd8(sb, false, b, secondBank, bit(w, 42), msb, ctx4);
        switch (sc) {
            case 0 -> {
                if (shift != 0) {
                    sb.append(", >>rot").append(shift);
                }
            }
            case 1 -> shiftAmount(sb.append(", "), false, shift);
            case 2 -> shiftAmount(sb.append(", "), true, shift);
            default -> sb.append(", >>dbl").append(shift);
        }
        sb.append(']');
        if (bit(w, 34) != 0) {
            sb.append(", load_cc");
        }
        flags(sb, w, false);
        return false;
    }

    private static boolean ctxArb(long w, StringBuilder sb) {
        int mask = bits(w, 15, 0);
        boolean any = bit(w, 16) != 0;
        sb.append("ctx_arb[");
        if (bit(w, 17) != 0) {
            sb.append("bpt");
        } else if (mask == 1) {
            sb.append("voluntary");
        } else if (bit(w, 19) == 0 && mask == 0) {
            sb.append("kill");
            any = false;
        } else if (mask == 0) {
            sb.append("--");
        } else {
            boolean first = true;
            for (int n = 1; n < 16; n++) {
                if ((mask & (1 << n)) != 0) {
                    if (!first) {
                        sb.append(", ");
                    }
                    sb.append("sig").append(n);
                    first = false;
                }
            }
        }
        sb.append(']');
        if (any) {
            sb.append(", any");
        }
        if (bit(w, 18) != 0) {
            sb.append(", br[.").append(branchAddress(w)).append(']');
        }
        defer(sb, w);
        return false;
    }

    private boolean localCsr(long w, StringBuilder sb) {
        int a = bits(w, 9, 0);
        int b = bits(w, 19, 10);
        boolean write = bit(w, 21) != 0;
        int num = bits(w, 32, 22);
        int lm = bit(w, 42);
        int src = a;
        int bank = 0;
        if (isImm10(a) && !isImm10(b)) {
            src = b;
            bank = 1;
        }
        boolean err = false;
        if (num == 1) {
            if (write) {
                sb.append("uwr[*u$index").append(bit(w, 20)).append("++, ");
                err = opnd10(sb, false, src, bank, lm, ctx4);
                sb.append(']');
            } else {
                sb.append("urd[");
                err = opnd10(sb, false, src, bank, lm, ctx4);
                sb.append(", *u$index").append(bit(w, 20)).append("++]");
            }
            return err;
        }
        sb.append(write ? "local_csr_wr[" : "local_csr_rd[");
        String csrName = num < CSR_NAMES.length ? CSR_NAMES[num] : null;
        if (csrName != null) {
            sb.append(csrName);
        } else {
            hex(sb.append("0x"), 4L * num);
        }
        if (write) {
            sb.append(", ");
            err = opnd10(sb, false, src, bank, lm, ctx4);
        }
        sb.append(']');
        return err;
    }

    private static boolean branch(long w, StringBuilder sb) {
        int op = bits(w, 4, 0);
        int state = bits(w, 17, 14);
        String name = BRANCH_OPS[op];
        boolean err = false;
        if (name == null) {
            sb.append("<invalid branch>[");
            err = true;
        } else {
            sb.append(name).append('[');
        }
        if (op >= 16 && op <= 19) {
            sb.append(state).append(", ");
        } else if (op == 20 || op == 21) {
            sb.append(INPUT_STATES[state]).append(", ");
        } else if (op == 22 || op == 23) {
            sb.append("cls_ring").append(state).append("_status, ");
        }
        sb.append('.').append(branchAddress(w)).append(']');
        defer(sb, w);
        return err;
    }

    private boolean brByte(long w, StringBuilder sb) {
        int a = bits(w, 7, 0);
        int b = bits(w, 17, 10);
        int msb = bit(w, 18);
        int lm = bit(w, 42);
        sb.append(bit(w, 19) != 0 ? "br=byte[" : "br!=byte[");
        int byteNo = bits(w, 9, 8);
        if (isImm8(a)) {
            opnd8(sb, false, b, 1, lm, msb, ctx4);
            sb.append(", ").append(byteNo).append(", ");
            opnd8(sb, false, a, 0, lm, msb, ctx4);
        } else {
            opnd8(sb, false, a, 0, lm, msb, ctx4);
            sb.append(", ").append(byteNo).append(", ");
            opnd8(sb, false, b, 1, lm, msb, ctx4);
        }
        sb.append(", .").append(branchAddress(w)).append(']');
        defer(sb, w);
        return false;
    }

    private static int val8(int x) {
        return isImm8(x) ? (((x >> 6) & 3) << 5) | (x & 0x1f) : 0xffffffff;
    }

    private boolean brBit(long w, StringBuilder sb) {
        int a = bits(w, 7, 0);
        int b = bits(w, 17, 10);
        int lm = bit(w, 42);
        sb.append(bit(w, 18) != 0 ? "br_bset[" : "br_bclr[");
        int bitNo;
        if (isImm8(a)) {
            opnd8(sb, false, b, 1, lm, 0, ctx4);
            bitNo = (val8(a) - 1) & 31;
        } else {
            opnd8(sb, false, a, 0, lm, 0, ctx4);
            bitNo = (val8(b) - 1) & 31;
        }
        sb.append(", ").append(bitNo).append(", .").append(branchAddress(w)).append(']');
        defer(sb, w);
        return false;
    }

    private boolean brAlu(long w, StringBuilder sb) {
        int a = bits(w, 9, 0);
        int b = bits(w, 19, 10);
        int immHi = bits(w, 30, 22);
        int lm = bit(w, 42);
        boolean aImm = isImm10(a);
        int low = aImm ? a & 0xff : isImm10(b) ? b & 0xff : 0xffffffff;
        int t = (immHi << 8) | low;
        sb.append(t == 0 ? "rtn[" : "jump[");
        boolean err = aImm ? opnd10(sb, false, b, 1, lm, ctx4) : opnd10(sb, false, a, 0, lm, ctx4);
        if (t != 0) {
            sb.append(", .").append(t);
        }
        sb.append(']');
        defer(sb, w);
        return err;
    }

    private boolean mult(long w, StringBuilder sb) {
        int swap = bit(w, 30);
        int a = swap != 0 ? bits(w, 19, 10) : bits(w, 9, 0);
        int b = swap != 0 ? bits(w, 9, 0) : bits(w, 19, 10);
        int step = bits(w, 22, 20);
        int dstBank = bit(w, 23);
        int type = bits(w, 32, 31);
        int aBank = swap; // after a swap the A slot prints bank B and the B slot bank A
        int bBank = swap ^ 1;
        sb.append("mul_step[");
        boolean err;
        if (step >= 4) {
            err = opnd10(sb, false, a, dstBank, bit(w, 43), ctx4);
            sb.append(", --");
        } else {
            err = opnd10(sb, false, a, aBank, bit(w, 42), ctx4);
            sb.append(", ");
            err = opnd10(sb, err, b, bBank, bit(w, 42), ctx4);
        }
        sb.append("], ").append(MUL_TYPES[type]);
        if (type != 0) {
            String s = MUL_STEPS[step];
            if (s != null) {
                sb.append('_').append(s);
            } else {
                sb.append("_<invalid mul_step>");
                err = true;
            }
        }
        flags(sb, w, true);
        return err;
    }

    private boolean cmd(long w, StringBuilder sb) {
        int srcA = bits(w, 7, 0);
        int ctx = bits(w, 9, 8);
        int srcB = bits(w, 17, 10);
        int token = bits(w, 19, 18);
        int xfer = bits(w, 24, 20) | (bit(w, 40) << 5);
        int len = bits(w, 27, 25);
        int sig = bits(w, 31, 28);
        int tgtcmd = bits(w, 38, 32);
        int indref = bit(w, 41);
        int mode = bits(w, 44, 42);
        int imm = (sig << 10) | (len << 7) | ((xfer & 0x1f) << 2) | token;
        int valBA = (srcB << 8) | srcA;
        boolean visswap = mode == 1 || mode == 3;
        if (mode == 6) {
            token = 0;
            sig = 0;
            xfer = 0;
        }
        int target;
        int action;
        if ((tgtcmd >> 5) == 0) {
            action = tgtcmd & 3;
            target = switch ((tgtcmd >> 2) & 7) {
                case 0 -> 6;
                case 1 -> 1;
                case 3 -> 9;
                case 5 -> 12;
                case 6 -> 10;
                case 7 -> 14;
                default -> -1;
            };
        } else {
            int sel = tgtcmd >> 4;
            if (sel == 3) {
                target = 2;
                action = tgtcmd & 0xf;
            } else {
                action = tgtcmd & 0x1f;
                target = sel == 4 || sel == 5 ? 7 : sel >= 6 ? 15 : -1;
            }
        }
        if (target < 0) {
            sb.append("<invalid cmd target -1:").append(action).append(':').append(token).append(">[]");
            return true;
        }
        String head = CommandNames.head(target, action, token, len, CMD_TARGET_NAMES[target]);
        if (head == null) {
            sb.append(CMD_TARGET_NAMES[target]).append("[<invalid cmd action ").append(target).append(':')
                    .append(action).append(':').append(token).append(">[]");
            return true;
        }
        sb.append(head);
        int aBank = visswap ? 1 : 0;
        int bBank = visswap ? 0 : 1;
        if (visswap) {
            int t = srcA;
            srcA = srcB;
            srcB = t;
        }
        switch (mode) {
            case 0, 1 -> {
                sb.append(xferComma(xfer));
                opnd8(sb, false, srcA, aBank, 0, 0, ctx4);
                sb.append(", <<8, ");
                opnd8(sb, false, srcB, bBank, 0, 0, ctx4);
                sb.append(COUNTS[len]);
            }
            case 2, 3 -> {
                hex(sb.append("0x"), (indref << 6) | xfer).append(", ");
                opnd8(sb, false, srcA, aBank, 0, 0, ctx4);
                sb.append(thirdParty32 ? ", " : ", <<8, ");
                opnd8(sb, false, srcB, bBank, 0, 0, ctx4);
                sb.append(COUNTS[len]);
            }
            case 4 -> {
                sb.append(xferComma(xfer));
                opnd8(sb, false, srcA, 0, 0, 0, ctx4);
                sb.append(", ");
                opnd8(sb, false, srcB, 1, 0, 0, ctx4);
                sb.append(COUNTS[len]);
            }
            case 5 -> hex(sb.append(xferComma(xfer)).append("0x"), valBA).append(COUNTS[len]);
            case 6 -> hex(hex(sb.append("0x"), valBA).append(", 0x"), imm).append(']');
            default -> hex(sb.append("0x"), (xfer << 16) | valBA).append(", --").append(COUNTS[len]);
        }
        if (indref != 0 && mode != 2 && mode != 3) {
            sb.append(", indirect_ref");
        }
        if (ctx != 3 || sig != 0) {
            sb.append(signalText(ctx, sig));
        }
        return false;
    }

    /** {@code , <len+1>]}: the count that ends a command's operand list. */
    private static final String[] COUNTS = {", 1]", ", 2]", ", 3]", ", 4]", ", 5]", ", 6]", ", 7]", ", 8]"};
    /** {@code $xfer_N, } texts of commands (0..63), filled on first use. */
    private static final String[] XFER_COMMA = new String[64];
    /** Signal texts of commands by ctx_swap/defer (0..3) and signal (0..15), filled on first use. */
    private static final String[] SIGNALS = new String[64];

    private static String xferComma(int xfer) {
        String s = XFER_COMMA[xfer];
        if (s == null) {
            XFER_COMMA[xfer] = s = new StringBuilder(10).append("$xfer_").append(xfer).append(", ").toString();
        }
        return s;
    }

    private static String signalText(int ctx, int sig) {
        String s = SIGNALS[ctx * 16 + sig];
        if (s == null) {
            StringBuilder b = new StringBuilder(32);
            if (ctx != 3) {
                if (sig == 0) {
                    b.append(", ctx_swap[--]");
                } else {
                    b.append(", ctx_swap[sig").append(sig).append(']');
                }
                b.append(DEFERS[ctx]);
            } else if (sig != 0) {
                b.append(", sig_done[sig").append(sig).append(']');
            }
            SIGNALS[ctx * 16 + sig] = s = b.toString();
        }
        return s;
    }

    private static boolean invalid(long w, StringBuilder sb) {
        sb.append("<invalid_instruction>: 0x").append(Long.toHexString(w));
        return true;
    }
}
