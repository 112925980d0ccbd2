package dev.nicoffload.offload.precheck;

/**
 * Abstract value of one register, modelled on the kernel's {@code struct bpf_reg_state}: the type
 * (kernel {@code enum bpf_reg_type} number, including the {@code PTR_MAYBE_NULL} flag), the fixed
 * offset of pointers, the variable part as a tnum with unsigned and signed 64-bit bounds, an id
 * shared by copies (null checks and scalar range refinements apply to every copy), the call frame of
 * stack pointers and the map of map pointers.
 */
record Reg(int type, int off, Tnum varOff, long umin, long umax, long smin, long smax, int id, int frameno,
           String map) {
    static final int NOT_INIT = 0, SCALAR = 1, PTR_TO_CTX = 2, CONST_PTR_TO_MAP = 3, PTR_TO_MAP_VALUE = 4,
            PTR_TO_STACK = 6, PTR_TO_PACKET_META = 7, PTR_TO_PACKET = 8, PTR_TO_PACKET_END = 9,
            PTR_TO_BTF_ID = 16, PTR_TO_FUNC = 19, PTR_MAYBE_NULL = 0x100;
    static final long U32_MAX = 0xffffffffL;

    static final Reg UNINIT = new Reg(NOT_INIT, 0, Tnum.UNKNOWN, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, null);
    static final Reg UNKNOWN = new Reg(SCALAR, 0, Tnum.UNKNOWN, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0, 0, null);

    static Reg constant(long v) {
        return new Reg(SCALAR, 0, Tnum.constant(v), v, v, v, v, 0, 0, null);
    }

    /** An unknown scalar of {@code bytes} bytes, zero-extended (a narrow load or a 32-bit result). */
    static Reg unknownOfSize(int bytes) {
        if (bytes >= 8) return UNKNOWN;
        long max = (1L << (bytes * 8)) - 1;
        return new Reg(SCALAR, 0, new Tnum(0, max), 0, max, 0, max, 0, 0, null);
    }

    static Reg pointer(int type, int off, int id, int frameno, String map) {
        return new Reg(type, off, Tnum.ZERO, 0, 0, 0, 0, id, frameno, map);
    }

    /** A scalar from a tnum and bounds, with bounds and tnum tightened against each other. */
    static Reg scalar(Tnum t, long umin, long umax, long smin, long smax) {
        return new Reg(SCALAR, 0, t, umin, umax, smin, smax, 0, 0, null).sync();
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
        return new Reg(type, off, varOff, umin, umax, smin, smax, newId, frameno, map);
    }

    Reg withType(int newType) {
        return new Reg(newType, off, varOff, umin, umax, smin, smax, id, frameno, map);
    }

    Reg withOff(int newOff) {
        return new Reg(type, newOff, varOff, umin, umax, smin, smax, id, frameno, map);
    }

    Reg withVar(Tnum t, long newUmin, long newUmax, long newSmin, long newSmax) {
        return new Reg(type, off, t, newUmin, newUmax, newSmin, newSmax, id, frameno, map).sync();
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
            return new Reg(type, off, Tnum.UNKNOWN, 0, -1L, Long.MIN_VALUE, Long.MAX_VALUE, id, frameno, map); // infeasible; stay sound
        }
        return new Reg(type, off, nt, umn, umx, smn, smx, id, frameno, map);
    }

    /** @return a register value covering both {@code a} and {@code b} */
    static Reg join(Reg a, Reg b) {
        if (a.equals(b)) return a;
        if (a.type != b.type || a.frameno != b.frameno || !java.util.Objects.equals(a.map, b.map)) return UNINIT;
        if (a.type != SCALAR && (a.off != b.off || a.id != b.id)) return UNINIT;
        long mu = a.varOff.mask() | b.varOff.mask() | (a.varOff.value() ^ b.varOff.value());
        Tnum t = new Tnum(a.varOff.value() & ~mu, mu);
        long umin = Long.compareUnsigned(a.umin, b.umin) <= 0 ? a.umin : b.umin;
        long umax = Long.compareUnsigned(a.umax, b.umax) >= 0 ? a.umax : b.umax;
        Reg r = new Reg(a.type, a.off, t, umin, umax, Math.min(a.smin, b.smin), Math.max(a.smax, b.smax),
                a.type == SCALAR ? 0 : a.id, a.frameno, a.map);
        return r.sync();
    }

    /** Whether every concrete state of {@code cur} is also a state of this one (for pruning). */
    boolean subsumes(Reg cur) {
        if (this.equals(cur)) return true;
        if (type == NOT_INIT) return true;
        if (type != cur.type || off != cur.off || frameno != cur.frameno || !java.util.Objects.equals(map, cur.map)) return false;
        if (type != SCALAR && id != cur.id) return false;
        return Long.compareUnsigned(umin, cur.umin) <= 0 && Long.compareUnsigned(umax, cur.umax) >= 0
                && smin <= cur.smin && smax >= cur.smax && varOff.contains(cur.varOff);
    }
}
