package dev.nicoffload.offload.precheck;

/**
 * A tracked number as in the kernel's {@code kernel/bpf/tnum.c}: bits set in {@code mask} are
 * unknown, the others have the value of the same bit in {@code value}.
 */
record Tnum(long value, long mask) {
    static final Tnum UNKNOWN = new Tnum(0, -1L);
    static final Tnum ZERO = new Tnum(0, 0);

    static Tnum constant(long v) {
        return new Tnum(v, 0);
    }

    /** The smallest tnum containing every value in [min, max] (unsigned). */
    static Tnum range(long min, long max) {
        long chi = min ^ max;
        int bits = 64 - Long.numberOfLeadingZeros(chi);
        if (bits > 63) return UNKNOWN;
        long delta = (1L << bits) - 1;
        return new Tnum(min & ~delta, delta);
    }

    boolean isConst() {
        return mask == 0;
    }

    /** @return the unsigned maximum value */
    long umax() {
        return value | mask;
    }

    Tnum add(Tnum b) {
        long sm = mask + b.mask, sv = value + b.value, sigma = sm + sv, chi = sigma ^ sv;
        long mu = chi | mask | b.mask;
        return new Tnum(sv & ~mu, mu);
    }

    Tnum sub(Tnum b) {
        long dv = value - b.value, alpha = dv + mask, beta = dv - b.mask, chi = alpha ^ beta;
        long mu = chi | mask | b.mask;
        return new Tnum(dv & ~mu, mu);
    }

    Tnum and(Tnum b) {
        long alpha = value | mask, beta = b.value | b.mask, v = value & b.value;
        return new Tnum(v, alpha & beta & ~v);
    }

    Tnum or(Tnum b) {
        long v = value | b.value, mu = mask | b.mask;
        return new Tnum(v, mu & ~v);
    }

    Tnum xor(Tnum b) {
        long v = value ^ b.value, mu = mask | b.mask;
        return new Tnum(v & ~mu, mu);
    }

    Tnum mul(Tnum b) {
        Tnum a = this;
        long accV = value * b.value;
        Tnum accM = ZERO;
        while (a.value != 0 || a.mask != 0) {
            if ((a.value & 1) != 0) accM = accM.add(new Tnum(0, b.mask));
            else if ((a.mask & 1) != 0) accM = accM.add(new Tnum(0, b.value | b.mask));
            a = a.rshift(1);
            b = b.lshift(1);
        }
        return constant(accV).add(accM);
    }

    Tnum lshift(int s) {
        return new Tnum(value << s, mask << s);
    }

    Tnum rshift(int s) {
        return new Tnum(value >>> s, mask >>> s);
    }

    Tnum arshift(int s, int bits) {
        if (bits == 32) return new Tnum((int) value >> s & 0xffffffffL, (int) mask >> s & 0xffffffffL);
        return new Tnum(value >> s, mask >> s);
    }

    Tnum intersect(Tnum b) {
        long v = value | b.value, mu = mask & b.mask;
        return new Tnum(v & ~mu, mu);
    }

    /** Truncates to the low {@code bytes} bytes. */
    Tnum cast(int bytes) {
        if (bytes >= 8) return this;
        long m = (1L << (bytes * 8)) - 1;
        return new Tnum(value & m, mask & m);
    }

    /** Whether every value of {@code b} is a value of this tnum. */
    boolean contains(Tnum b) {
        if ((b.mask & ~mask) != 0) return false;
        return (b.value & ~mask) == value;
    }

    /** The kernel's {@code tnum_strn}: {@code (%#llx; %#llx)}. */
    String kernelString() {
        return "(" + hex(value) + "; " + hex(mask) + ")";
    }

    /** Kernel {@code %#llx}: {@code 0x} prefix, lowercase, no padding. */
    static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
