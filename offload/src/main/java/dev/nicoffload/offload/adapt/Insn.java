package dev.nicoffload.offload.adapt;

/**
 * One 8-byte instruction slot as encoded (the second slot of an {@code ld_imm64} is kept as its own
 * slot with {@link #second} set), with a short disassembly for reports.
 */
record Insn(int op, int dst, int src, short off, int imm, boolean second) {
    static final int LD = 0, LDX = 1, ST = 2, STX = 3, ALU = 4, JMP = 5, JMP32 = 6, ALU64 = 7;
    static final int MODE_MEM = 0x60, MODE_ATOMIC = 0xc0, MODE_ABS = 0x20, MODE_IND = 0x40;
    static final int SIZE_W = 0, SIZE_H = 8, SIZE_B = 0x10, SIZE_DW = 0x18;
    static final int LD_IMM64 = 0x18, CALL = 0x85, EXIT = 0x95, JA = 0x05;
    static final int A_ADD = 0x00, A_MOV = 0xb0;
    static final int BPF_FETCH = 0x01;

    static Insn ja0() {
        return new Insn(JA, 0, 0, (short) 0, 0, false);
    }

    static Insn mov64Imm(int dst, int imm) {
        return new Insn(ALU64 | A_MOV, dst, 0, (short) 0, imm, false);
    }

    static Insn mov32Imm(int dst, int imm) {
        return new Insn(ALU | A_MOV, dst, 0, (short) 0, imm, false);
    }

    static Insn mov64Reg(int dst, int src) {
        return new Insn(ALU64 | A_MOV | 0x08, dst, src, (short) 0, 0, false);
    }

    static Insn atomicAdd(int size, int base, int src, short off) {
        return new Insn(STX | MODE_ATOMIC | size, base, src, off, A_ADD, false);
    }

    int cls() {
        return op & 7;
    }

    int mode() {
        return op & 0xe0;
    }

    int size() {
        return op & 0x18;
    }

    int aluOp() {
        return op & 0xf0;
    }

    boolean regSource() {
        return (op & 0x08) != 0;
    }

    boolean isLdImm64() {
        return op == LD_IMM64 && !second;
    }

    boolean isCall() {
        return op == CALL;
    }

    boolean isExit() {
        return op == EXIT;
    }

    /** A jump other than call and exit (JA included). */
    boolean isJump() {
        return (cls() == JMP || cls() == JMP32) && !isCall() && !isExit();
    }

    int bytes() {
        return switch (size()) {
            case SIZE_W -> 4;
            case SIZE_H -> 2;
            case SIZE_B -> 1;
            default -> 8;
        };
    }

    private static String width(int size) {
        return switch (size) {
            case SIZE_W -> "u32";
            case SIZE_H -> "u16";
            case SIZE_B -> "u8";
            default -> "u64";
        };
    }

    private static String mem(int reg, short off) {
        return "(r" + reg + (off < 0 ? " - " + (-off) : " + " + off) + ")";
    }

    /** @return the instruction in the kernel's (and llvm-objdump's) notation, for the common forms */
    String text() {
        if (second) return "(ld_imm64 high half)";
        int c = cls();
        if (c == LDX && mode() == MODE_MEM) return "r" + dst + " = *(" + width(size()) + " *)" + mem(src, off);
        if (c == STX && mode() == MODE_MEM) return "*(" + width(size()) + " *)" + mem(dst, off) + " = r" + src;
        if (c == ST && mode() == MODE_MEM) return "*(" + width(size()) + " *)" + mem(dst, off) + " = " + imm;
        if (c == STX && mode() == MODE_ATOMIC && imm == A_ADD) {
            return "lock *(" + width(size()) + " *)" + mem(dst, off) + " += " + (size() == SIZE_W ? "w" : "r") + src;
        }
        if (c == ALU || c == ALU64) {
            String r = c == ALU ? "w" : "r";
            String operand = regSource() ? r + src : Integer.toString(imm);
            String sym = switch (aluOp()) {
                case 0x00 -> "+=";
                case 0x10 -> "-=";
                case 0x20 -> "*=";
                case 0x30 -> "/=";
                case 0x40 -> "|=";
                case 0x50 -> "&=";
                case 0x60 -> "<<=";
                case 0x70 -> ">>=";
                case 0xa0 -> "^=";
                case 0xb0 -> "=";
                case 0xc0 -> "s>>=";
                default -> null;
            };
            if (sym != null) return r + dst + " " + sym + " " + operand;
        }
        if (op == JA) return "goto " + (off < 0 ? "" : "+") + off;
        if ((c == JMP || c == JMP32) && !isCall() && !isExit()) {
            String cmp = switch (aluOp()) {
                case 0x10 -> "==";
                case 0x20 -> ">";
                case 0x30 -> ">=";
                case 0x40 -> "&";
                case 0x50 -> "!=";
                case 0x60 -> "s>";
                case 0x70 -> "s>=";
                case 0xa0 -> "<";
                case 0xb0 -> "<=";
                case 0xc0 -> "s<";
                case 0xd0 -> "s<=";
                default -> null;
            };
            String r = c == JMP32 ? "w" : "r";
            if (cmp != null) return "if " + r + dst + " " + cmp + " " + (regSource() ? r + src : Integer.toString(imm)) + " goto " + (off < 0 ? "" : "+") + off;
        }
        if (isExit()) return "exit";
        if (isCall()) return "call " + imm;
        if (op == LD_IMM64) return "r" + dst + " = " + imm + " ll";
        return String.format("op 0x%02x dst r%d src r%d off %d imm %d", op, dst, src, off, imm);
    }
}
