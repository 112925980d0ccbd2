package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.spec.Instruction;

/**
 * Abstract value of one register, modelled on the kernel's {@code struct bpf_reg_state}: the type
 * (kernel {@code enum bpf_reg_type} number, including the {@code PTR_MAYBE_NULL} flag), the fixed
 * offset of pointers, the variable part as a tnum with unsigned and signed 64-bit bounds, an id
 * shared by copies (null checks and scalar range refinements apply to every copy), the call frame of
 * stack pointers, the map of map pointers and, for packet pointers, the kernel's {@code range}: the
 * packet bytes {@code [var_off, var_off + range)} a dominating comparison with {@code data_end} has
 * proven present ({@code find_good_pkt_pointers}).
 */
record Reg(int type, int off, Tnum varOff, long umin, long umax, long smin, long smax, int id, int frameno,
           String map, int range) {
    static final int NOT_INIT = 0, SCALAR = 1, PTR_TO_CTX = 2, CONST_PTR_TO_MAP = 3, PTR_TO_MAP_VALUE = 4,
            PTR_TO_STACK = 6, PTR_TO_PACKET_META = 7, PTR_TO_PACKET = 8, PTR_TO_PACKET_END = 9,
            PTR_TO_BTF_ID = 16, PTR_TO_FUNC = 19, PTR_MAYBE_NULL = 0x100;
    static final long U32_MAX = 0xffffffffL;

    static final Reg UNINIT = new Reg(NOT_INIT, 0, Tnum.UNKNOWN, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, null, 0);
    static final Reg UNKNOWN = new Reg(SCALAR, 0, Tnum.UNKNOWN, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, null, 0);

    static Reg constant(long v) {
        return new Reg(SCALAR, 0, Tnum.constant(v), v, v, v, v, 0, 0, null, 0);
    }

    /** An unknown scalar of {@code bytes} bytes, zero-extended (a narrow load or a 32-bit result). */
    static Reg unknownOfSize(int bytes) {
        if (bytes >= 8) return UNKNOWN;
        long max = (1L << (bytes * 8)) - 1;
        return new Reg(SCALAR, 0, new Tnum(0, max), 0, max, 0, max, 0, 0, null, 0);
    }

    static Reg pointer(int type, int off, int id, int frameno, String map) {
        return new Reg(type, off, Tnum.ZERO, 0, 0, 0, 0, id, frameno, map, 0);
    }

    /** A scalar from a tnum and bounds, with bounds and tnum tightened against each other. */
    static Reg scalar(Tnum t, long umin, long umax, long smin, long smax) {
        return new Reg(SCALAR, 0, t, umin, umax, smin, smax, 0, 0, null, 0).sync();
    }

    boolean isScalar() {
        return type == SCALAR;
    }

    boolean isPointer() {
        return type != SCALAR && type != NOT_INIT;
    }

    boolean isConst() {
        return type == SCALAR && varOff.isConst();
    }

    long constValue() {
        return varOff.value();
    }

    Reg withId(int newId) {
        return new Reg(type, off, varOff, umin, umax, smin, smax, newId, frameno, map, range);
    }

    Reg withType(int newType) {
        return new Reg(newType, off, varOff, umin, umax, smin, smax, id, frameno, map, range);
    }

    Reg withOff(int newOff) {
        return new Reg(type, newOff, varOff, umin, umax, smin, smax, id, frameno, map, range);
    }

    Reg withVar(Tnum t, long newUmin, long newUmax, long newSmin, long newSmax) {
        return new Reg(type, off, t, newUmin, newUmax, newSmin, newSmax, id, frameno, map, range).sync();
    }

    /** The kernel's {@code __update_reg_bounds}, {@code __reg_deduce_bounds} and {@code __reg_bound_offset}. */
    Reg sync() {
        Tnum t = varOff;
        long smn = Math.max(smin, t.value() | (t.mask() & Long.MIN_VALUE));
        long smx = Math.min(smax, t.value() | (t.mask() & Long.MAX_VALUE));
        long umn = Long.compareUnsigned(umin, t.value()) >= 0 ? umin : t.value();
        long umx = Long.compareUnsigned(umax, t.umax()) <= 0 ? umax : t.umax();
        if (smn >= 0 || smx < 0) {
            // sign bit known: signed and unsigned bounds are the same numbers
            long lo = Long.compareUnsigned(smn, umn) >= 0 ? smn : umn;
            long hi = Long.compareUnsigned(smx, umx) <= 0 ? smx : umx;
            smn = umn = lo;
            smx = umx = hi;
        } else if (umx >= 0) { // unsigned max < 2^63: signed bounds follow
            smn = umn;
            smx = Math.min(smx, umx);
            umx = smx;
        } else if (umn < 0) { // unsigned min >= 2^63: all negative
            smn = Math.max(umn, smn);
            umn = smn;
            smx = umx;
        }
        Tnum nt = t.intersect(Tnum.range(umn, umx));
        if (Long.compareUnsigned(umn, umx) > 0 || smn > smx) {
            return new Reg(type, off, Tnum.UNKNOWN, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, id, frameno, map, range); // infeasible; stay sound
        }
        return new Reg(type, off, nt, umn, umx, smn, smx, id, frameno, map, range);
    }

    Reg withRange(int newRange) {
        return new Reg(type, off, varOff, umin, umax, smin, smax, id, frameno, map, newRange);
    }

    /** Maps ids of an explored state to ids of the current one, as the kernel's {@code check_ids}. */
    static final class IdMap {
        private final java.util.HashMap<Integer, Integer> map = new java.util.HashMap<>();
        private final java.util.HashMap<Long, Integer> pairs = new java.util.HashMap<>();
        private final java.util.function.IntSupplier fresh;

        IdMap(java.util.function.IntSupplier fresh) {
            this.fresh = fresh;
        }

        /** @return whether {@code old} and {@code cur} can be the same id (every use of old pairs with cur) */
        boolean check(int old, int cur) {
            if (old == 0) return true;
            Integer seen = map.putIfAbsent(old, cur);
            return seen == null || seen == cur;
        }

        /** @return the id a joined register gets for the pair (a, b): one new id per distinct pair */
        int joined(int a, int b) {
            if (a == b) return a;
            if (a == 0 || b == 0) return 0;
            return pairs.computeIfAbsent(((long) a << 32) | (b & 0xffffffffL), k -> fresh.getAsInt());
        }
    }

    /**
     * A register value covering both {@code a} and {@code b}. Pointers of one type with different
     * fixed offsets become one pointer whose variable part holds the difference (packet pointers:
     * with the range both still have); ids are paired through {@code ids}. With {@code widen}, a
     * bound that grew jumps to the next of 0xff, 0xffff, 0xffffffff or the type's limit (a loop head).
     */
    static Reg join(Reg a, Reg b, IdMap ids, boolean widen) {
        if (a.equals(b)) return a;
        if (a.type != b.type || a.frameno != b.frameno || !java.util.Objects.equals(a.map, b.map)) return UNINIT;
        int off = a.off, ra = a.range, rb = b.range;
        Tnum va = a.varOff, vb = b.varOff;
        long aumin = a.umin, aumax = a.umax, asmin = a.smin, asmax = a.smax, bumin = b.umin, bumax = b.umax, bsmin = b.smin, bsmax = b.smax;
        if (a.type != SCALAR && a.off != b.off) {
            if (a.type != PTR_TO_PACKET && a.type != PTR_TO_MAP_VALUE && a.type != PTR_TO_PACKET_META) return UNINIT;
            off = Math.min(a.off, b.off);
            Reg sa = ScalarArithmetic.scalarOp(Instruction.ADD, Reg.scalar(va, aumin, aumax, asmin, asmax), constant(a.off - off), 64);
            Reg sb = ScalarArithmetic.scalarOp(Instruction.ADD, Reg.scalar(vb, bumin, bumax, bsmin, bsmax), constant(b.off - off), 64);
            va = sa.varOff; vb = sb.varOff;
            aumin = sa.umin; aumax = sa.umax; asmin = sa.smin; asmax = sa.smax;
            bumin = sb.umin; bumax = sb.umax; bsmin = sb.smin; bsmax = sb.smax;
            ra = Math.max(0, a.range - (a.off - off));
            rb = Math.max(0, b.range - (b.off - off));
        }
        long mu = va.mask() | vb.mask() | (va.value() ^ vb.value());
        Tnum t = new Tnum(va.value() & ~mu, mu);
        long umin = Long.compareUnsigned(aumin, bumin) <= 0 ? aumin : bumin;
        long umax = Long.compareUnsigned(aumax, bumax) >= 0 ? aumax : bumax;
        long smin = Math.min(asmin, bsmin), smax = Math.max(asmax, bsmax);
        if (widen) {
            if (Long.compareUnsigned(umax, aumax) > 0) {
                umax = threshold(umax);
                long m = t.mask() | Tnum.range(0, umax).mask(); // the bits below the threshold become unknown
                t = new Tnum(t.value() & ~m, m);
            }
            if (Long.compareUnsigned(umin, aumin) < 0) umin = 0;
            if (smax > asmax) smax = smax < 0 ? -1 : threshold(smax) < 0 ? Long.MAX_VALUE : threshold(smax);
            if (smin < asmin) smin = smin >= 0 ? 0 : Long.MIN_VALUE;
        }
        int id = a.type == SCALAR ? 0 : ids.joined(a.id, b.id);
        Reg r = new Reg(a.type, off, t, umin, umax, smin, smax, id, a.frameno, a.map, Math.min(ra, rb));
        return r.sync();
    }

    /** The smallest of 0xff, 0xffff, 0xffffffff and U64_MAX at or above {@code v} (unsigned). */
    private static long threshold(long v) {
        for (long th : new long[]{0xffL, 0xffffL, U32_MAX}) if (Long.compareUnsigned(v, th) <= 0) return th;
        return -1L;
    }

    /**
     * Whether every concrete state of {@code cur} is also a state of this one (for pruning), as the
     * kernel's {@code regsafe}: same type, fixed offset and map, a range at least as large for packet
     * pointers, ids consistent through {@code ids}, bounds and tnum within.
     */
    boolean subsumes(Reg cur, IdMap ids) {
        if (type == NOT_INIT) return true;
        if (this.equals(cur) && type == SCALAR) return true;
        if (type != cur.type || off != cur.off || frameno != cur.frameno || !java.util.Objects.equals(map, cur.map)) return false;
        if (type != SCALAR && !ids.check(id, cur.id)) return false;
        if (range > cur.range) return false;
        return Long.compareUnsigned(umin, cur.umin) <= 0 && Long.compareUnsigned(umax, cur.umax) >= 0
                && smin <= cur.smin && smax >= cur.smax && varOff.contains(cur.varOff);
    }
}
