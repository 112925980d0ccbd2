package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;

import static dev.nicoffload.offload.spec.Instruction.*;

/**
 * NFP instruction count from the per-instruction costs of facts §2.4 (derived from the driver's
 * emitters), using what the analysis learnt: pointer types of loads and stores, value ranges of
 * multiplications and shifts, reachable code (the verifier removes dead code for privileged loads),
 * subprogram starts and callee-saved register pushes.
 */
final class SizeEstimator {
    static final int XDP_FIXED = 2 + 13 + 8, TC_FIXED = 2 + 18 + 8, REG_PUSH_POP = 18;

    private SizeEstimator() {
    }

    static SizeEstimate estimate(Analyzer a, ProgramType type, int limit) {
        int min = 0, max = 0;
        boolean anyPush = false;
        for (int sub = 1; sub < a.subprogStart.length; sub++) {
            min++;
            max++; // mov LM[0] = return address at each subprogram start
            anyPush |= a.hook.needsRegPush(sub);
        }
        for (int slot = 0; slot < a.insns.length; slot++) {
            Instruction in = a.insns[slot];
            if (in == null || !a.meta[slot].visited) continue;
            if (slot == 0 && in.opcode() == (ALU64 | MOV | SRC_X) && in.dst() == 6 && in.src() == 1) continue; // skipped r6 = r1
            long c = cost(a, slot, in);
            min += (int) (c >>> 32);
            max += (int) c;
        }
        int fixed = (type == ProgramType.XDP ? XDP_FIXED : TC_FIXED) + (anyPush ? REG_PUSH_POP : 0);
        return new SizeEstimate(min + fixed, max + fixed, fixed, limit);
    }

    private static long range(int lo, int hi) {
        return ((long) lo << 32) | hi;
    }

    private static long exact(int n) {
        return range(n, n);
    }

    /** {@code wrp_immed}: 1 if v or ~v is a 16-bit value shifted by 0, 8 or 16 bits, else 2. */
    static int immed(long v) {
        int x = (int) v;
        for (int s : new int[]{0, 8, 16}) {
            if ((x & ~(0xffff << s)) == 0 || (~x & ~(0xffff << s)) == 0) return 1;
        }
        return 2;
    }

    /** {@code ur_load_imm_any}: free when the constant fits the operand, else an immed. */
    static int loadImm(long v) {
        return Long.compareUnsigned(v & 0xffffffffL, 255) <= 0 ? 0 : immed(v);
    }

    private static long cost(Analyzer a, int slot, Instruction in) {
        Analyzer.Meta m = a.meta[slot];
        int cls = in.cls(), op = in.op();
        boolean k = in.source() == SRC_K;
        switch (cls) {
            case ALU64 -> {
                return switch (op) {
                    case MOV -> k ? exact(immed(in.imm()) + immed(in.imm() < 0 ? -1 : 0))
                            : in.src() == 10 ? range(2, 4) : exact(2);
                    case ADD, SUB -> k ? exact(2 + loadImm(Math.abs((long) in.imm()))) : exact(2);
                    case AND, OR, XOR -> k ? (in.imm() == 0 && op != AND ? exact(0) : range(1, 2 + 2 * loadImm(in.imm()))) : exact(2);
                    case MUL -> mul(m, in);
                    case DIV -> div(in);
                    case LSH, RSH, ARSH -> k || m.uminSrc == m.umaxSrc ? exact(op == ARSH ? 3 : 2)
                            : Long.compareUnsigned(m.umaxSrc, 31) <= 0 ? range(4, 5)
                            : Long.compareUnsigned(m.uminSrc, 32) >= 0 ? exact(3) : range(9, 10);
                    case NEG -> exact(2);
                    default -> range(1, 13);
                };
            }
            case ALU -> {
                return switch (op) {
                    case MOV -> k ? range(1 + immed(in.imm()), 2 + immed(in.imm())) : exact(2);
                    case MUL -> mul(m, in);
                    case DIV -> div(in);
                    case END -> exact(in.imm() == 64 ? 5 : 3);
                    case LSH, RSH, ARSH -> range(1, 3);
                    case NEG -> range(1, 2);
                    default -> range(1, 2 + (k ? loadImm(in.imm()) : 0));
                };
            }
            case LD -> {
                if (in.isLdImm64()) return in.src() == 0 ? exact(immed(in.imm()) + immed(in.imm2())) : range(2, 4);
                return in.mode() == MODE_ABS ? range(4, 9) : range(6, 9);
            }
            case LDX -> {
                return switch (m.ptrType) {
                    case Reg.PTR_TO_CTX -> exact(2);
                    case Reg.PTR_TO_PACKET -> range(1, 6);
                    case Reg.PTR_TO_STACK -> stack(m, in);
                    default -> range(2, 7);
                };
            }
            case STX -> {
                if (in.mode() == MODE_ATOMIC) return range(4, 16);
                return switch (m.ptrType) {
                    case Reg.PTR_TO_CTX -> exact(5);
                    case Reg.PTR_TO_PACKET -> range(2, 5);
                    case Reg.PTR_TO_STACK -> stack(m, in);
                    default -> range(2, 5);
                };
            }
            case ST -> {
                return range(2, 7);
            }
            default -> {
                return jump(a, slot, in, m);
            }
        }
    }

    private static long mul(Analyzer.Meta m, Instruction in) {
        boolean small = Long.compareUnsigned(m.umaxDst, 0xffff) <= 0
                && (in.source() == SRC_K ? Long.compareUnsigned(in.imm() & 0xffffffffL, 0xffff) <= 0 : Long.compareUnsigned(m.umaxSrc, 0xffff) <= 0);
        int imm = in.source() == SRC_K ? loadImm(in.imm()) : 0;
        return exact((small ? 4 : 7) + imm);
    }

    private static long div(Instruction in) {
        if (in.source() == SRC_X) return range(1, 13);
        long d = in.imm() & 0xffffffffL;
        if (d != 0 && (d & (d - 1)) == 0) return exact(1);
        if (d > 0x80000000L) return exact(3);
        return range(5, 13 + 2);
    }

    private static long stack(Analyzer.Meta m, Instruction in) {
        if (m.ptr == null) return range(1, 10);
        long off = m.ptr.off() + m.ptr.varOff().value() + in.off();
        return off >= -64 && !m.ptrNotConst ? range(1, 3) : range(5, 10);
    }

    private static long jump(Analyzer a, int slot, Instruction in, Analyzer.Meta m) {
        boolean is32 = in.cls() == JMP32;
        boolean k = in.source() == SRC_K;
        if (in.isExit()) return exact(a.subprogOf[slot] == 0 ? 1 : 2);
        if (in.isCall()) {
            if (in.src() == PSEUDO_CALL) return range(2, 13);
            return switch (in.imm()) {
                case Analyzer.FN_MAP_LOOKUP, Analyzer.FN_MAP_UPDATE, Analyzer.FN_MAP_DELETE -> range(3, 9);
                case Analyzer.FN_PRANDOM -> exact(3);
                case Analyzer.FN_PERF_EVENT_OUTPUT -> range(3, 5);
                case Analyzer.FN_XDP_ADJUST_HEAD -> adjustHeadOptimised(a, slot, m) ? exact(5) : exact(16);
                case Analyzer.FN_XDP_ADJUST_TAIL -> exact(11);
                default -> range(3, 16);
            };
        }
        int op = in.op();
        if (op == JA) return exact(1);
        if (op == JEQ || op == JNE) {
            if (!k) return exact(is32 ? 2 : 4);
            return is32 ? range(2, 4) : range(2, 8);
        }
        if (op == JSET) return k ? range(2, 5) : exact(is32 ? 2 : 4);
        if (!k) return exact(is32 ? 2 : 3);
        return exact((is32 ? 2 : 3) + loadImm(in.imm()));
    }

    /** The optimised adjust_head path: one call site, the same constant delta everywhere, within the guaranteed range. */
    private static boolean adjustHeadOptimised(Analyzer a, int slot, Analyzer.Meta m) {
        int sites = 0;
        for (int i = 0; i < a.insns.length; i++) {
            Instruction in = a.insns[i];
            if (in != null && a.meta[i].visited && in.isHelperCall() && in.imm() == Analyzer.FN_XDP_ADJUST_HEAD) sites++;
        }
        if (sites != 1 || m.arg2Varies || m.arg2Const == null) return false;
        long d = m.arg2Const;
        return d <= 46 && d >= -a.caps().adjustHeadGuaranteedSub() && d <= a.caps().adjustHeadGuaranteedAdd();
    }
}
