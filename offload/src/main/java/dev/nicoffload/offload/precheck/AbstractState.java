package dev.nicoffload.offload.precheck;

import java.util.Arrays;

/**
 * The verifier state on one path: a stack of call frames, each with eleven registers and a
 * 512-byte stack whose bytes are typed like the kernel's {@code slot_type} (invalid, misc, zero,
 * spill) with the spilled register kept per 8-byte slot.
 */
final class AbstractState {
    static final byte INVALID = 0, MISC = 1, ZERO = 2, SPILL = 3;
    static final int STACK_BYTES = 512, MAX_FRAMES = 8;

    /** One call frame. */
    static final class Frame {
        final Reg[] regs;
        /** Stack bytes and spilled registers, shared between copies until one of them writes ({@link #own()}). */
        byte[] stack;
        Reg[] spilled;
        private boolean owned;
        final int subprog;
        final int returnSlot;
        /** Number of stack bytes (from the frame top) ever written; the rest are INVALID. */
        int used;

        Frame(int subprog, int returnSlot) {
            this.regs = new Reg[11];
            Arrays.fill(regs, Reg.UNINIT);
            this.stack = new byte[STACK_BYTES];
            this.spilled = new Reg[STACK_BYTES / 8];
            this.owned = true;
            this.subprog = subprog;
            this.returnSlot = returnSlot;
        }

        Frame(Frame o) {
            regs = o.regs.clone();
            stack = o.stack;
            spilled = o.spilled;
            o.owned = false; // both now share the arrays; the first to write copies them
            subprog = o.subprog;
            returnSlot = o.returnSlot;
            used = o.used;
        }

        /** Makes the stack arrays private to this frame before a write. */
        void own() {
            if (owned) return;
            stack = stack.clone();
            spilled = spilled.clone();
            owned = true;
        }

        /** Notes that the byte at stack index {@code idx} was written. */
        void touch(int idx) {
            if (idx + 1 > used) used = idx + 1;
        }

        boolean subsumes(Frame cur, int liveRegs, int preciseRegs, Reg.IdMap ids) {
            if (subprog != cur.subprog || returnSlot != cur.returnSlot) return false;
            for (int i = 0; i < regs.length; i++) {
                if ((liveRegs & (1 << i)) == 0) continue;
                if ((preciseRegs & (1 << i)) == 0 && regs[i].isScalar() && cur.regs[i].isScalar()) continue; // its value decides nothing
                if (!regs[i].subsumes(cur.regs[i], ids)) return false;
            }
            int n = Math.max(used, cur.used);
            if (Arrays.equals(stack, 0, n, cur.stack, 0, n) && Arrays.equals(spilled, 0, (n + 7) / 8, cur.spilled, 0, (n + 7) / 8)) return true;
            for (int i = 0; i < n; i++) {
                byte o = stack[i], c = cur.stack[i];
                if (o == c) continue;
                if (o == MISC && (c == ZERO || c == INVALID || c == SPILL && cur.spilled[i / 8] != null && cur.spilled[i / 8].isScalar())) continue;
                return false;
            }
            for (int i = 0; i < (n + 7) / 8; i++) {
                if (spilled[i] != null && cur.spilled[i] != null && stack[i * 8] == SPILL && !spilled[i].subsumes(cur.spilled[i], ids)) return false;
            }
            return true;
        }
    }

    final Frame[] frames;
    int depth; // index of the current frame

    AbstractState(int rootSubprog) {
        frames = new Frame[MAX_FRAMES];
        frames[0] = new Frame(rootSubprog, -1);
        depth = 0;
    }

    private AbstractState(AbstractState o) {
        frames = new Frame[MAX_FRAMES];
        for (int i = 0; i <= o.depth; i++) frames[i] = new Frame(o.frames[i]);
        depth = o.depth;
    }

    AbstractState copy() {
        return new AbstractState(this);
    }

    Frame cur() {
        return frames[depth];
    }

    Reg reg(int r) {
        return frames[depth].regs[r];
    }

    void set(int r, Reg v) {
        frames[depth].regs[r] = v;
    }

    /**
     * Whether this explored state covers {@code cur} (the kernel's {@code states_equal}): registers
     * of the current frame only where {@code liveRegs} has their bit (the others are written before
     * they are read on every path from here), scalars of the current frame by value only where
     * {@code preciseRegs} has their bit, ids matched consistently across all frames.
     */
    boolean subsumes(AbstractState cur, int liveRegs, int preciseRegs, Reg.IdMap ids) {
        if (depth != cur.depth) return false;
        for (int i = 0; i <= depth; i++) {
            if (!frames[i].subsumes(cur.frames[i], i == depth ? liveRegs : -1, i == depth ? preciseRegs : -1, ids)) return false;
        }
        return true;
    }

    /**
     * @param ids   pairs the ids of both states into ids of the join
     * @param widen whether bounds that grew jump to the next threshold (at a loop head)
     * @return a state covering both this one and {@code o}, or null when their call stacks differ
     */
    AbstractState join(AbstractState o, Reg.IdMap ids, boolean widen) {
        if (depth != o.depth) return null;
        for (int i = 0; i <= depth; i++) {
            if (frames[i].subprog != o.frames[i].subprog || frames[i].returnSlot != o.frames[i].returnSlot) return null;
        }
        AbstractState j = copy();
        for (int i = 0; i <= depth; i++) {
            Frame a = j.frames[i], b = o.frames[i];
            a.own();
            for (int r = 0; r < a.regs.length; r++) a.regs[r] = Reg.join(a.regs[r], b.regs[r], ids, widen);
            for (int s = 0; s < a.spilled.length; s++) {
                boolean bothSpilled = a.spilled[s] != null && b.spilled[s] != null && a.stack[s * 8] == SPILL && b.stack[s * 8] == SPILL;
                a.spilled[s] = bothSpilled ? Reg.join(a.spilled[s], b.spilled[s], ids, widen) : null;
            }
            a.used = Math.max(a.used, b.used);
            for (int k = 0; k < a.used; k++) {
                byte x = a.stack[k], y = b.stack[k];
                if (x == y && (x != SPILL || a.spilled[k / 8] != null)) continue;
                a.stack[k] = x == INVALID && y == INVALID ? INVALID : MISC;
            }
        }
        return j;
    }

    /** Replaces every register and spilled register (all frames) for which {@code f} returns non-null. */
    void replaceAll(java.util.function.UnaryOperator<Reg> f) {
        for (int i = 0; i <= depth; i++) {
            Frame fr = frames[i];
            for (int r = 0; r < fr.regs.length; r++) {
                Reg n = f.apply(fr.regs[r]);
                if (n != null) fr.regs[r] = n;
            }
            for (int s = 0; s < fr.spilled.length; s++) {
                if (fr.spilled[s] == null) continue;
                Reg n = f.apply(fr.spilled[s]);
                if (n != null) {
                    fr.own();
                    fr.spilled[s] = n;
                }
            }
        }
    }
}
