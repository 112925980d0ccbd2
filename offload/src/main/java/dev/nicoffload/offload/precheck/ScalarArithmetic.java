package dev.nicoffload.offload.precheck;

import static dev.nicoffload.offload.spec.Instruction.*;

/**
 * The 6.1 verifier's scalar arithmetic: transfer functions of ALU operations on tnums and bounds
 * ({@code adjust_scalar_min_max_vals}), whether a conditional jump is decided by what is known
 * ({@code is_branch_taken}) and how each side of an undecided jump narrows its register
 * ({@code reg_set_min_max}, applied to every copy sharing the register's id).
 */
final class ScalarArithmetic {
    private static final long U64_MAX = -1L;

    private ScalarArithmetic() {
    }

    /** The low 32 bits of a scalar, zero-extended. */
    static Reg subreg(Reg r) {
        if (!r.isScalar()) return Reg.unknownOfSize(4);
        if (Long.compareUnsigned(r.umax(), Reg.U32_MAX) <= 0) return r.withId(0);
        Tnum t = r.varOff().cast(4);
        return Reg.scalar(t, t.value(), t.umax(), t.value(), t.umax());
    }

    static Reg truncate32(Reg r) {
        Tnum t = r.varOff().cast(4);
        if (Long.compareUnsigned(r.umax(), Reg.U32_MAX) <= 0 && Long.compareUnsigned(r.umin(), r.umax()) <= 0) {
            return Reg.scalar(t, r.umin(), r.umax(), r.umin(), r.umax());
        }
        return Reg.scalar(t, t.value(), t.umax(), t.value(), t.umax());
    }

    /** Scalar transfer functions of the 6.1 verifier ({@code adjust_scalar_min_max_vals}). */
    static Reg scalarOp(int op, Reg d, Reg s, int bits) {
        boolean srcKnown = s.varOff().isConst();
        if (!srcKnown && op != ADD && op != SUB && op != AND) return Reg.UNKNOWN;
        Tnum dt = d.varOff(), stn = s.varOff();
        switch (op) {
            case ADD -> {
                long smin = d.smin() + s.smin(), smax = d.smax() + s.smax();
                boolean sOverflow = overflowAdd(d.smin(), s.smin()) || overflowAdd(d.smax(), s.smax());
                long umin = d.umin() + s.umin(), umax = d.umax() + s.umax();
                boolean uOverflow = Long.compareUnsigned(umin, d.umin()) < 0 || Long.compareUnsigned(umax, d.umax()) < 0;
                return Reg.scalar(dt.add(stn), uOverflow ? 0 : umin, uOverflow ? U64_MAX : umax,
                        sOverflow ? Long.MIN_VALUE : smin, sOverflow ? Long.MAX_VALUE : smax);
            }
            case SUB -> {
                boolean sOverflow = overflowSub(d.smin(), s.smax()) || overflowSub(d.smax(), s.smin());
                long smin = d.smin() - s.smax(), smax = d.smax() - s.smin();
                boolean uUnder = Long.compareUnsigned(d.umin(), s.umax()) < 0;
                return Reg.scalar(dt.sub(stn), uUnder ? 0 : d.umin() - s.umax(), uUnder ? U64_MAX : d.umax() - s.umin(),
                        sOverflow ? Long.MIN_VALUE : smin, sOverflow ? Long.MAX_VALUE : smax);
            }
            case MUL -> {
                Tnum t = dt.mul(stn);
                if (s.smin() < 0 || d.smin() < 0) return Reg.scalar(t, 0, U64_MAX, Long.MIN_VALUE, Long.MAX_VALUE);
                if (Long.compareUnsigned(s.umax(), Reg.U32_MAX) > 0 || Long.compareUnsigned(d.umax(), Reg.U32_MAX) > 0) {
                    return Reg.scalar(t, 0, U64_MAX, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                long umin = d.umin() * s.umin(), umax = d.umax() * s.umax();
                return umax < 0 ? Reg.scalar(t, umin, umax, Long.MIN_VALUE, Long.MAX_VALUE) : Reg.scalar(t, umin, umax, umin, umax);
            }
            case AND -> {
                Tnum t = dt.and(stn);
                long umax = Long.compareUnsigned(d.umax(), s.umax()) < 0 ? d.umax() : s.umax();
                if (d.smin() < 0 || s.smin() < 0) return Reg.scalar(t, t.value(), umax, Long.MIN_VALUE, Long.MAX_VALUE);
                return Reg.scalar(t, t.value(), umax, t.value(), umax);
            }
            case OR -> {
                Tnum t = dt.or(stn);
                long umin = Long.compareUnsigned(d.umin(), s.umin()) > 0 ? d.umin() : s.umin();
                if (d.smin() < 0 || s.smin() < 0) return Reg.scalar(t, umin, t.umax(), Long.MIN_VALUE, Long.MAX_VALUE);
                return Reg.scalar(t, umin, t.umax(), umin, t.umax());
            }
            case XOR -> {
                Tnum t = dt.xor(stn);
                if (d.smin() >= 0 && s.smin() >= 0) return Reg.scalar(t, t.value(), t.umax(), t.value(), t.umax());
                return Reg.scalar(t, t.value(), t.umax(), Long.MIN_VALUE, Long.MAX_VALUE);
            }
            case LSH, RSH, ARSH -> {
                long k = s.constValue();
                if (k < 0 || k >= bits) return Reg.UNKNOWN;
                int sh = (int) k;
                if (op == LSH) {
                    Tnum t = dt.lshift(sh);
                    boolean overflow = sh > 0 && Long.compareUnsigned(d.umax(), 1L << (63 - sh)) > 0;
                    return Reg.scalar(t, overflow ? 0 : d.umin() << sh, overflow ? U64_MAX : d.umax() << sh, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                if (op == RSH) {
                    return Reg.scalar(dt.rshift(sh), d.umin() >>> sh, d.umax() >>> sh, Long.MIN_VALUE, Long.MAX_VALUE);
                }
                if (bits == 32) {
                    Tnum t = dt.arshift(sh, 32);
                    return Reg.scalar(t, t.value(), t.umax(), Long.MIN_VALUE, Long.MAX_VALUE);
                }
                return Reg.scalar(dt.arshift(sh, 64), 0, U64_MAX, d.smin() >> sh, d.smax() >> sh);
            }
            default -> {
                return Reg.UNKNOWN; // DIV, MOD: not tracked by the 6.1 verifier
            }
        }
    }

    static boolean overflowAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0;
    }

    static boolean overflowSub(long a, long b) {
        long r = a - b;
        return ((a ^ b) & (a ^ r)) < 0;
    }

    static int flip(int op) {
        return switch (op) {
            case JGT -> JLT;
            case JLT -> JGT;
            case JGE -> JLE;
            case JLE -> JGE;
            case JSGT -> JSLT;
            case JSLT -> JSGT;
            case JSGE -> JSLE;
            case JSLE -> JSGE;
            default -> op;
        };
    }

    /** The 32-bit view of a scalar for JMP32, or null if its upper half is not known to be zero. */
    static Reg view(Reg r, boolean is32) {
        if (!is32) return r;
        return Long.compareUnsigned(r.umax(), Reg.U32_MAX) <= 0 ? r : null;
    }

    /** @return 1 if always taken, 0 if never, -1 if unknown ({@code is_branch_taken}) */
    static int branchTaken(Reg reg, long val, int op, boolean is32) {
        Reg r = view(reg, is32);
        if (r == null) {
            if (!is32) return -1;
            Reg sub = subreg(reg);
            if (sub.isConst()) return constCompare(sub.constValue(), val, op, true);
            return -1;
        }
        if (is32 && isSigned(op)) {
            if (r.umax() > Integer.MAX_VALUE || val != (val & Reg.U32_MAX) || (int) val < 0) {
                return r.isConst() ? constCompare(r.constValue(), val, op, true) : -1;
            }
        }
        if (r.isConst()) return constCompare(r.constValue(), val, op, is32);
        Tnum t = r.varOff();
        long umin = r.umin(), umax = r.umax(), smin = r.smin(), smax = r.smax();
        return switch (op) {
            case JEQ -> (Long.compareUnsigned(val, umin) < 0 || Long.compareUnsigned(val, umax) > 0 || val < smin || val > smax
                    || ((val ^ t.value()) & ~t.mask()) != 0) ? 0 : -1;
            case JNE -> (Long.compareUnsigned(val, umin) < 0 || Long.compareUnsigned(val, umax) > 0 || val < smin || val > smax
                    || ((val ^ t.value()) & ~t.mask()) != 0) ? 1 : -1;
            case JSET -> (t.value() & val) != 0 ? 1 : (t.umax() & val) == 0 ? 0 : -1;
            case JGT -> Long.compareUnsigned(umin, val) > 0 ? 1 : Long.compareUnsigned(umax, val) <= 0 ? 0 : -1;
            case JGE -> Long.compareUnsigned(umin, val) >= 0 ? 1 : Long.compareUnsigned(umax, val) < 0 ? 0 : -1;
            case JLT -> Long.compareUnsigned(umax, val) < 0 ? 1 : Long.compareUnsigned(umin, val) >= 0 ? 0 : -1;
            case JLE -> Long.compareUnsigned(umax, val) <= 0 ? 1 : Long.compareUnsigned(umin, val) > 0 ? 0 : -1;
            case JSGT -> smin > val ? 1 : smax <= val ? 0 : -1;
            case JSGE -> smin >= val ? 1 : smax < val ? 0 : -1;
            case JSLT -> smax < val ? 1 : smin >= val ? 0 : -1;
            case JSLE -> smax <= val ? 1 : smin > val ? 0 : -1;
            default -> -1;
        };
    }

    static boolean isSigned(int op) {
        return op == JSGT || op == JSGE || op == JSLT || op == JSLE;
    }

    static int constCompare(long a, long b, int op, boolean is32) {
        if (is32) {
            a &= Reg.U32_MAX;
            b &= Reg.U32_MAX;
        }
        long sa = is32 ? (int) a : a, sb = is32 ? (int) b : b;
        boolean r = switch (op) {
            case JEQ -> a == b;
            case JNE -> a != b;
            case JSET -> (a & b) != 0;
            case JGT -> Long.compareUnsigned(a, b) > 0;
            case JGE -> Long.compareUnsigned(a, b) >= 0;
            case JLT -> Long.compareUnsigned(a, b) < 0;
            case JLE -> Long.compareUnsigned(a, b) <= 0;
            case JSGT -> sa > sb;
            case JSGE -> sa >= sb;
            case JSLT -> sa < sb;
            case JSLE -> sa <= sb;
            default -> false;
        };
        return r ? 1 : 0;
    }

    /** {@code reg_set_min_max}: narrows the register (and its copies) on one side of a branch. */
    static void refine(AbstractState st, int regNo, Reg reg, long val, int op, boolean is32, boolean taken) {
        Reg r = view(reg, is32);
        if (r == null) return;
        if (is32 && isSigned(op) && (r.umax() > Integer.MAX_VALUE || (int) val < 0)) return;
        if (!taken) op = negate(op);
        long umin = r.umin(), umax = r.umax(), smin = r.smin(), smax = r.smax();
        Tnum t = r.varOff();
        switch (op) {
            case JEQ -> { t = Tnum.constant(val); umin = umax = val; smin = smax = val; }
            case JNE -> { }
            case JSET -> { if (Long.bitCount(val) == 1) t = t.or(Tnum.constant(val)); }
            case -JSET -> t = t.and(Tnum.constant(~val));
            case JGT -> umin = maxU(umin, val + 1);
            case JGE -> umin = maxU(umin, val);
            case JLT -> umax = minU(umax, val - 1);
            case JLE -> umax = minU(umax, val);
            case JSGT -> smin = Math.max(smin, val + 1);
            case JSGE -> smin = Math.max(smin, val);
            case JSLT -> smax = Math.min(smax, val - 1);
            case JSLE -> smax = Math.min(smax, val);
            default -> { }
        }
        Reg n = Reg.scalar(t, umin, umax, smin, smax).withId(reg.id());
        if (reg.id() != 0) {
            int id = reg.id();
            st.replaceAll(x -> x.isScalar() && x.id() == id ? n : null);
        }
        st.set(regNo, n);
    }

    static int negate(int op) {
        return switch (op) {
            case JEQ -> JNE;
            case JNE -> JEQ;
            case JSET -> -JSET;
            case JGT -> JLE;
            case JLE -> JGT;
            case JGE -> JLT;
            case JLT -> JGE;
            case JSGT -> JSLE;
            case JSLE -> JSGT;
            case JSGE -> JSLT;
            case JSLT -> JSGE;
            default -> op;
        };
    }

    static long maxU(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    static long minU(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
