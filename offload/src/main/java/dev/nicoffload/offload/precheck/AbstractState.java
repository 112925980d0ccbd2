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
        final byte[] stack;
        final Reg[] spilled;
        final int subprog;
        final int returnSlot;

        Frame(int subprog, int returnSlot) {
            this.regs = new Reg[11];
            Arrays.fill(regs, Reg.UNINIT);
            this.stack = new byte[STACK_BYTES];
            this.spilled = new Reg[STACK_BYTES / 8];
            this.subprog = subprog;
            this.returnSlot = returnSlot;
        }

        Frame(Frame o) {
            regs = o.regs.clone();
            stack = o.stack.clone();
            spilled = o.spilled.clone();
            subprog = o.subprog;
            returnSlot = o.returnSlot;
        }

        boolean subsumes(Frame cur) {
            if (subprog != cur.subprog || returnSlot != cur.returnSlot) return false;
            for (int i = 0; i < regs.length; i++) if (!regs[i].subsumes(cur.regs[i])) return false;
            for (int i = 0; i < STACK_BYTES; i++) {
                byte o = stack[i], c = cur.stack[i];
                if (o == c) continue;
                if (o == MISC && (c == ZERO || c == SPILL && cur.spilled[i / 8] != null && cur.spilled[i / 8].isScalar())) continue;
                return false;
            }
            for (int i = 0; i < spilled.length; i++) {
                if (spilled[i] != null && cur.spilled[i] != null && stack[i * 8] == SPILL && !spilled[i].subsumes(cur.spilled[i])) return false;
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

    boolean subsumes(AbstractState cur) {
        if (depth != cur.depth) return false;
        for (int i = 0; i <= depth; i++) if (!frames[i].subsumes(cur.frames[i])) return false;
        return true;
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
                if (n != null) fr.spilled[s] = n;
            }
        }
    }
}
