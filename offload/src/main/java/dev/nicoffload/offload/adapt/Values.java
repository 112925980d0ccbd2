package dev.nicoffload.offload.adapt;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;

/** The abstract values of the adapter's dataflow analysis: what a register or stack slot may hold. */
final class Values {
    private Values() {
    }

    sealed interface V permits Unk, Cst, MapRef, Ptr, Stk, Poison {
    }

    /** Anything not tracked (a scalar, a packet or context pointer, ...). */
    record Unk() implements V {
    }

    /** A known constant. */
    record Cst(long value) implements V {
    }

    /** The address of a map ({@code ld_imm64} with a map relocation). */
    record MapRef(String map) implements V {
    }

    /**
     * A pointer into a map value (from a lookup, possibly null) or into a global data section
     * ({@code data}); {@code origin} is the slot of the lookup call or {@code ld_imm64} that made it
     * (-1 when paths with different origins meet).
     */
    record Ptr(String region, boolean data, long off, boolean varOff, int origin) implements V {
    }

    /** A pointer into the stack frame: {@code r10 + off}. */
    record Stk(long off, boolean varOff) implements V {
    }

    /** Tracked pointers of these regions met something else on some path: any use is refused. */
    record Poison(Set<String> regions) implements V {
    }

    static final Unk UNK = new Unk();

    static V join(V a, V b) {
        if (a.equals(b)) return a;
        if (a instanceof Ptr p && b instanceof Cst c && c.value() == 0) return p;
        if (b instanceof Ptr p && a instanceof Cst c && c.value() == 0) return p;
        if (a instanceof Ptr p && b instanceof Ptr q && p.region().equals(q.region()) && p.data() == q.data()) {
            boolean var = p.varOff() || q.varOff() || p.off() != q.off();
            return new Ptr(p.region(), p.data(), var ? 0 : p.off(), var, p.origin() == q.origin() ? p.origin() : -1);
        }
        if (a instanceof Stk p && b instanceof Stk q) return new Stk(p.off() == q.off() ? p.off() : 0, true);
        Set<String> regions = new HashSet<>();
        regionsOf(a, regions);
        regionsOf(b, regions);
        if (!regions.isEmpty()) return new Poison(Set.copyOf(regions));
        return UNK;
    }

    static void regionsOf(V v, Set<String> out) {
        if (v instanceof Ptr p) out.add(p.region());
        if (v instanceof Poison p) out.addAll(p.regions());
    }

    /** Registers r0-r10 and spilled 8-byte stack slots by offset. */
    static final class State {
        final V[] regs = new V[11];
        final TreeMap<Long, V> stack = new TreeMap<>();

        State() {
            Arrays.fill(regs, UNK);
        }

        State copy() {
            State s = new State();
            System.arraycopy(regs, 0, s.regs, 0, 11);
            s.stack.putAll(stack);
            return s;
        }

        /** @return the join of this and {@code o} */
        State join(State o) {
            State s = new State();
            for (int i = 0; i < 11; i++) s.regs[i] = Values.join(regs[i], o.regs[i]);
            for (var e : stack.entrySet()) {
                V other = o.stack.get(e.getKey());
                if (other != null) s.stack.put(e.getKey(), Values.join(e.getValue(), other));
                else {
                    V j = Values.join(e.getValue(), UNK);
                    if (!(j instanceof Unk)) s.stack.put(e.getKey(), j);
                }
            }
            for (var e : o.stack.entrySet()) {
                if (!stack.containsKey(e.getKey())) {
                    V j = Values.join(e.getValue(), UNK);
                    if (!(j instanceof Unk)) s.stack.put(e.getKey(), j);
                }
            }
            return s;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Arrays.equals(regs, s.regs) && stack.equals(s.stack);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(regs) * 31 + stack.hashCode();
        }
    }
}
