package dev.nicoffload.offload.precheck;

import dev.nicoffload.offload.info.ProgramType;
import dev.nicoffload.offload.spec.Instruction;
import dev.nicoffload.offload.spec.MapSpec;
import dev.nicoffload.offload.spec.ProgramSpec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static dev.nicoffload.offload.spec.Instruction.*;

/**
 * Path-sensitive abstract interpretation of one program in the kernel verifier's order (fall-through
 * first, the taken branch of each undecided conditional jump pushed on a stack, states pruned at
 * jump targets when an explored state covers them). Before each instruction it calls the
 * {@link NfpVerifierHook}, as the kernel calls the offload driver's hook; like the kernel it stops
 * at the first refusal the driver writes into the verifier log. The JIT-stage refusals the kernel
 * only logs to dmesg (BPF_ST, untranslatable context fields) are collected along the way, and the
 * records it leaves ({@link Meta}, stack depths, packet offsets) feed the size estimate.
 */
final class Analyzer {
    static final int MAX_PROCESSED = 1_000_000;
    static final int WIDEN_AFTER = 16;
    static final int FN_MAP_LOOKUP = 1, FN_MAP_UPDATE = 2, FN_MAP_DELETE = 3, FN_PRANDOM = 7, FN_TAIL_CALL = 12,
            FN_PERF_EVENT_OUTPUT = 25, FN_XDP_ADJUST_HEAD = 44, FN_XDP_ADJUST_META = 54, FN_XDP_ADJUST_TAIL = 65;
    private static final long U64_MAX = -1L;
    /** The kernel's {@code MAX_PACKET_OFF}. */
    static final int MAX_PACKET_OFF = 0xffff;

    /** What the driver records per instruction across all paths ({@code struct nfp_insn_meta}). */
    static final class Meta {
        boolean visited;
        int ptrType = Reg.NOT_INIT;
        Reg ptr;
        boolean ptrNotConst;
        long uminSrc = U64_MAX, umaxSrc = 0, uminDst = U64_MAX, umaxDst = 0;
        int funcId;
        int arg1Type = Reg.NOT_INIT;
        boolean reported;
        /** Constant value of the helper's R2 on every path (adjust_head delta), or null. */
        Long arg2Const;
        boolean arg2Varies;
    }

    static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop() {
            super(null, null, false, false);
        }
    }

    private record Pending(AbstractState state, int slot) {
    }

    private final ProgramSpec prog;
    private final Map<String, MapSpec> maps;
    private final FirmwareCapabilities caps;
    private final boolean xdp;
    final Instruction[] insns; // by slot; null for the second slot of ld_imm64
    final int[] subprogOf;
    final int[] subprogStart;
    final Meta[] meta;
    final int[] stackDepth;
    final List<Finding> findings = new ArrayList<>();
    final NfpVerifierHook hook;
    private final List<List<AbstractState>> explored;
    private final boolean[] prunePoint;
    /** Targets of backward jumps: loop heads, where joins widen. */
    private final boolean[] loopHead;
    /** Registers (bit r) of the current frame that may be read before written, per slot. */
    final int[] liveIn;
    /** Registers (bit r) of the current frame whose scalar value may matter from each slot on. */
    final int[] preciseIn;
    long maxPacketOffset;
    int processed;
    boolean incomplete;
    private int idGen;

    Analyzer(ProgramSpec prog, Map<String, MapSpec> maps, FirmwareCapabilities caps) {
        this.prog = prog;
        this.maps = maps;
        this.caps = caps;
        this.xdp = prog.type() == ProgramType.XDP;
        int n = prog.slotCount();
        insns = new Instruction[n];
        int s = 0;
        for (Instruction i : prog.instructions()) {
            insns[s] = i;
            s += i.slots();
        }
        TreeSet<Integer> starts = new TreeSet<>();
        starts.add(0);
        prunePoint = new boolean[n + 1];
        loopHead = new boolean[n + 1];
        for (int i = 0; i < n; i++) {
            Instruction in = insns[i];
            if (in == null) continue;
            if (in.isPseudoCall() || (in.isLdImm64() && in.src() == PSEUDO_FUNC)) {
                int t = i + in.imm() + 1;
                if (t >= 0 && t < n) starts.add(t);
            }
            if (in.isJump()) {
                int t = i + in.off() + 1;
                if (t >= 0 && t <= n) prunePoint[t] = true;
                if (t >= 0 && t <= i) loopHead[t] = true;
                if (in.op() != JA && i + 1 <= n) prunePoint[i + 1] = true;
            }
            if (in.isCall() && i + 1 <= n) prunePoint[i + 1] = true;
        }
        subprogStart = starts.stream().mapToInt(Integer::intValue).toArray();
        subprogOf = new int[n];
        for (int i = 0, k = 0; i < n; i++) {
            while (k + 1 < subprogStart.length && subprogStart[k + 1] <= i) k++;
            subprogOf[i] = k;
        }
        meta = new Meta[n];
        for (int i = 0; i < n; i++) meta[i] = new Meta();
        stackDepth = new int[subprogStart.length];
        explored = new ArrayList<>(n);
        for (int i = 0; i < n; i++) explored.add(null);
        hook = new NfpVerifierHook(this, prog.type(), maps, caps);
        liveIn = liveness(insns);
        preciseIn = precision(insns, subprogOf, subprogStart.length);
    }

    /** The argument registers a helper reads (its prototype's argument count; R1-R5 when unknown). */
    static int helperArgs(Instruction call) {
        if (!call.isHelperCall()) return ARG_REGS;
        int args = switch (call.imm()) {
            case FN_PRANDOM -> 0;
            case FN_MAP_LOOKUP, FN_MAP_DELETE, FN_XDP_ADJUST_HEAD, FN_XDP_ADJUST_TAIL, FN_XDP_ADJUST_META -> 2;
            case FN_TAIL_CALL -> 3;
            case FN_MAP_UPDATE -> 4;
            default -> 5;
        };
        return ((1 << (args + 1)) - 1) & ARG_REGS;
    }

    /**
     * A static stand-in for the kernel's precision marks: bit r of {@code preciseIn[i]} is set when
     * the value of scalar r at slot i may decide something on some path on: a conditional jump,
     * pointer arithmetic or a memory address, a MUL/DIV operand (the driver's range checks), a helper
     * argument, the return value, an 8-byte spill (it may come back), or an ALU result that does.
     * Values that only flow into narrower stores do not count (the stack's byte kinds are compared
     * on their own). Calls to subprograms pass the marks of the callee's arguments and return value.
     */
    static int[] precision(Instruction[] insns, int[] subprogOf, int subprogs) {
        int n = insns.length;
        int[] in = new int[n];
        boolean[] retPrecise = new boolean[subprogs];
        retPrecise[0] = true;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                Instruction x = insns[i];
                if (x == null) continue;
                int next = i + x.slots();
                int out = next < n ? in[next] : 0;
                int d = 1 << x.dst(), sreg = 1 << x.src();
                int cls = x.cls();
                int v;
                if (x.isPseudoCall()) {
                    int t = i + x.imm() + 1;
                    int calleeIn = t >= 0 && t < n ? in[t] : ARG_REGS;
                    int callee = t >= 0 && t < n ? subprogOf[t] : 0;
                    if ((out & 1) != 0 && !retPrecise[callee]) {
                        retPrecise[callee] = true;
                        changed = true;
                    }
                    v = (calleeIn & ARG_REGS) | (out & ~CALLER_SAVED);
                } else if (x.isCall()) {
                    v = helperArgs(x) | (out & ~CALLER_SAVED);
                } else if (x.isExit()) {
                    v = retPrecise[subprogOf[i]] ? 1 : 0;
                } else if (cls == JMP || cls == JMP32) {
                    int t = i + x.off() + 1;
                    int tin = t >= 0 && t < n ? in[t] : 0;
                    v = x.op() == JA ? tin : out | tin | d | (x.source() == SRC_X ? sreg : 0);
                } else {
                    switch (cls) {
                        case ALU, ALU64 -> {
                            boolean needed = (out & d) != 0 || x.op() == MUL || x.op() == DIV || x.op() == MOD;
                            int src = x.source() == SRC_X && x.op() != END && x.op() != NEG ? sreg : 0;
                            v = (out & ~d) | (needed ? (x.op() == MOV ? 0 : d) | src : 0);
                        }
                        case LD -> v = x.isLdImm64() ? out & ~d : (out & ~CALLER_SAVED) | 1 << 6 | (x.mode() == 0x40 ? sreg : 0);
                        case LDX -> v = (out & ~d) | sreg;
                        case ST -> v = out | d;
                        default -> { // STX and atomics: the address matters, a spilled or atomic operand may
                            boolean spill = x.mode() != MODE_ATOMIC && x.sizeBytes() == 8;
                            v = out | d | (spill || x.mode() == MODE_ATOMIC ? sreg : 0);
                        }
                    }
                }
                v |= 1 << 10;
                if (v != in[i]) {
                    in[i] = v;
                    changed = true;
                }
            }
        }
        return in;
    }

    private static final int ALL_REGS = (1 << 11) - 1, ARG_REGS = 0b111110, CALLER_SAVED = 0b111111;

    /**
     * Backward register liveness over the slots (the static counterpart of the kernel's read marks):
     * bit r of {@code liveIn[i]} is set when some path from slot i reads r before writing it. Calls
     * read R1-R5 and write R0-R5; an exit reads R0; R10 is always live.
     */
    static int[] liveness(Instruction[] insns) {
        int n = insns.length;
        int[] use = new int[n], def = new int[n], in = new int[n];
        int[][] succ = new int[n][];
        for (int i = 0; i < n; i++) {
            Instruction x = insns[i];
            if (x == null) {
                succ[i] = new int[0];
                continue;
            }
            int d = 1 << x.dst(), sreg = 1 << x.src();
            int cls = x.cls();
            int next = i + x.slots();
            if (x.isCall()) {
                use[i] = x.isPseudoCall() ? ARG_REGS : helperArgs(x);
                def[i] = CALLER_SAVED;
                succ[i] = new int[]{next};
            } else if (x.isExit()) {
                use[i] = 1;
                succ[i] = new int[0];
            } else if (cls == JMP || cls == JMP32) {
                int t = i + x.off() + 1;
                if (x.op() == JA) {
                    succ[i] = new int[]{t};
                } else {
                    use[i] = d | (x.source() == SRC_X ? sreg : 0);
                    succ[i] = new int[]{next, t};
                }
            } else {
                succ[i] = new int[]{next};
                switch (cls) {
                    case ALU, ALU64 -> {
                        use[i] = (x.op() == MOV ? 0 : d) | (x.source() == SRC_X && x.op() != END && x.op() != NEG ? sreg : 0);
                        def[i] = d;
                    }
                    case LD -> {
                        if (x.isLdImm64()) def[i] = d;
                        else {
                            use[i] = 1 << 6 | (x.mode() == 0x40 ? sreg : 0);
                            def[i] = CALLER_SAVED;
                        }
                    }
                    case LDX -> {
                        use[i] = sreg;
                        def[i] = d;
                    }
                    case ST -> use[i] = d;
                    default -> { // STX, atomics
                        use[i] = d | sreg | (x.mode() == MODE_ATOMIC && x.imm() == 0xf1 ? 1 : 0);
                        if (x.mode() == MODE_ATOMIC && (x.imm() & 1) != 0) def[i] = x.imm() == 0xf1 ? 1 : sreg;
                    }
                }
            }
            use[i] |= 1 << 10;
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = n - 1; i >= 0; i--) {
                int out = 0;
                for (int t : succ[i]) out |= t >= 0 && t < n ? in[t] : ALL_REGS;
                int v = use[i] | (out & ~def[i]);
                if (v != in[i]) {
                    in[i] = v;
                    changed = true;
                }
            }
        }
        return in;
    }

    /** @return whether the analysis stopped at a refusal the driver writes into the verifier log */
    boolean fatal() {
        return hook.fatal;
    }

    /** @return the driver's stack use of the deepest call chain, or -1 before its finalize step ran */
    int stackUsage() {
        return hook.stackUsage;
    }

    FirmwareCapabilities caps() {
        return caps;
    }

    // ================================================================== driver

    void run() {
        if (insns.length == 0) return;
        try {
            AbstractState init = new AbstractState(0);
            init.set(1, Reg.pointer(Reg.PTR_TO_CTX, 0, 0, 0, null));
            init.set(10, Reg.pointer(Reg.PTR_TO_STACK, 0, 0, 0, null));
            Deque<Pending> stack = new ArrayDeque<>();
            stack.push(new Pending(init, 0));
            while (!stack.isEmpty()) {
                Pending p = stack.pop();
                walk(p.state(), p.slot(), stack);
            }
            hook.finalizeStack();
        } catch (Stop stop) {
            // a fatal finding was recorded
        }
    }

    private void walk(AbstractState st, int slot, Deque<Pending> pending) {
        while (true) {
            if (slot < 0 || slot >= insns.length || insns[slot] == null) return; // the core verifier refuses this; not ours
            if (prunePoint[slot]) {
                AbstractState next = pruneOrWiden(st, slot);
                if (next == null) return;
                st = next;
            }
            if (++processed > MAX_PROCESSED) {
                incomplete = true;
                hook.checker(Rule.ANALYSIS, Finding.Severity.WARNING, -1, Errno.E2BIG,
                        "analysis stopped after " + MAX_PROCESSED + " processed instructions (the kernel verifier's own limit); findings may be incomplete");
                throw new Stop();
            }
            Instruction in = insns[slot];
            meta[slot].visited = true;
            hook.verify(st, slot, in);
            int next = execute(st, slot, in, pending);
            if (next < 0) return;
            slot = next;
        }
    }

    /**
     * The kernel's {@code is_state_visited}: null when an explored state at this prune point already
     * covers {@code st} (the path needs no further walking). After {@link #WIDEN_AFTER} different
     * states at one point, the states are joined (ranges merged, as the driver merges them anyway)
     * and the walk continues from the join, which covers every later state; this stands in for the
     * kernel's precision tracking, which stops paths that differ only in values nothing depends on.
     */
    private AbstractState pruneOrWiden(AbstractState st, int slot) {
        List<AbstractState> seen = explored.get(slot);
        if (seen == null) {
            seen = new ArrayList<>(2);
            explored.set(slot, seen);
        }
        int live = liveIn[slot];
        for (AbstractState old : seen) if (old.subsumes(st, live, preciseIn[slot], new Reg.IdMap(this::newId))) return null;
        if (seen.size() < WIDEN_AFTER) {
            seen.add(st.copy());
            return st;
        }
        AbstractState joined = seen.get(seen.size() - 1).join(st, new Reg.IdMap(this::newId), loopHead[slot]);
        if (joined == null) return st; // different call stacks: cannot join, keep walking
        for (int r = 0; r < 11; r++) if ((live & (1 << r)) == 0) joined.set(r, Reg.UNINIT);
        seen.set(seen.size() - 1, joined);
        return joined.copy();
    }

    // ================================================================== execution

    private int newId() {
        return ++idGen;
    }

    private int execute(AbstractState st, int slot, Instruction in, Deque<Pending> pending) {
        int cls = in.cls();
        switch (cls) {
            case ALU, ALU64 -> {
                alu(st, in);
                return slot + 1;
            }
            case LD -> {
                if (in.isLdImm64()) {
                    st.set(in.dst(), ldImm64(in));
                    return slot + 2;
                }
                // LD_ABS / LD_IND: R0 gets the value, R1-R5 are clobbered
                st.set(0, Reg.unknownOfSize(in.sizeBytes()));
                for (int r = 1; r <= 5; r++) st.set(r, Reg.UNINIT);
                return slot + 1;
            }
            case LDX -> {
                load(st, slot, in);
                return slot + 1;
            }
            case ST -> {
                storeImmediate(st, slot, in);
                return slot + 1;
            }
            case STX -> {
                if (in.mode() == MODE_ATOMIC) atomic(st, slot, in);
                else store(st, slot, in, st.reg(in.src()));
                return slot + 1;
            }
            default -> {
                return jump(st, slot, in, pending);
            }
        }
    }

    private Reg ldImm64(Instruction in) {
        return switch (in.src()) {
            case 0 -> Reg.constant(in.constant());
            case PSEUDO_MAP_FD, PSEUDO_MAP_IDX -> Reg.pointer(Reg.CONST_PTR_TO_MAP, 0, 0, 0, in.reference());
            case PSEUDO_MAP_VALUE, PSEUDO_MAP_IDX_VALUE -> Reg.pointer(Reg.PTR_TO_MAP_VALUE, in.imm2(), 0, 0, in.reference());
            case PSEUDO_FUNC -> Reg.pointer(Reg.PTR_TO_FUNC, 0, 0, 0, null);
            default -> Reg.pointer(Reg.PTR_TO_BTF_ID, 0, 0, 0, null);
        };
    }

    // ---------------------------------------------------------------- memory

    private void load(AbstractState st, int slot, Instruction in) {
        Reg ptr = st.reg(in.src());
        int size = in.sizeBytes();
        Reg result;
        switch (ptr.type()) {
            case Reg.PTR_TO_CTX -> result = ctxLoad(slot, in, size);
            case Reg.PTR_TO_STACK -> result = stackRead(st, ptr, in.off(), size);
            case Reg.PTR_TO_PACKET -> {
                packetAccess(ptr, in.off(), size);
                result = Reg.unknownOfSize(size);
            }
            default -> result = Reg.unknownOfSize(size);
        }
        st.set(in.dst(), result);
    }

    private Reg ctxLoad(int slot, Instruction in, int size) {
        int off = in.off();
        Meta m = meta[slot];
        int data = xdp ? 0 : 76, dataEnd = xdp ? 4 : 80, dataMeta = xdp ? 8 : 140;
        boolean ok = size == 4 && (off == data || off == dataEnd || (!xdp && off == 0));
        if (!ok && !m.reported) {
            m.reported = true;
            String allowed = xdp ? "data (0) and data_end (4)" : "len (0), data (76) and data_end (80)";
            hook.checker(Rule.CONTEXT, Finding.Severity.ERROR, slot, Errno.EINVAL,
                    "the NFP JIT cannot read " + (xdp ? "xdp_md" : "__sk_buff") + " field at offset " + off + " (" + size
                            + " bytes); only 4-byte loads of " + allowed + " are translated. The load fails with EINVAL and dmesg "
                            + "\"NFP net bpf: Translation failed with error -95\"");
        }
        if (size == 4 && off == data) return Reg.pointer(Reg.PTR_TO_PACKET, 0, 0, 0, null);
        if (size == 4 && off == dataEnd) return Reg.pointer(Reg.PTR_TO_PACKET_END, 0, 0, 0, null);
        if (size == 4 && off == dataMeta) return Reg.pointer(Reg.PTR_TO_PACKET_META, 0, 0, 0, null);
        return Reg.unknownOfSize(Math.min(size, 4));
    }

    private void packetAccess(Reg ptr, int insnOff, int size) {
        long end = (long) insnOff + ptr.off() + ptr.umax() + size - 1;
        if (ptr.umax() < 0 || ptr.umax() > (1L << 40)) end = Long.MAX_VALUE;
        if (end > maxPacketOffset) maxPacketOffset = end;
    }

    private int stackIndex(long addr) {
        return (int) (-addr - 1);
    }

    private void noteStackDepth(AbstractState st, Reg ptr, long addr) {
        if (ptr.frameno() > st.depth) return;
        int sub = st.frames[ptr.frameno()].subprog;
        if (-addr > stackDepth[sub]) stackDepth[sub] = (int) Math.min(-addr, 1 << 20);
    }

    private Reg stackRead(AbstractState st, Reg ptr, int insnOff, int size) {
        long addr = ptr.off() + ptr.varOff().value() + insnOff;
        noteStackDepth(st, ptr, addr);
        if (!ptr.varOff().isConst() || addr >= 0 || addr < -AbstractState.STACK_BYTES || ptr.frameno() > st.depth) {
            return Reg.unknownOfSize(size);
        }
        AbstractState.Frame f = st.frames[ptr.frameno()];
        int top = stackIndex(addr); // index of the lowest address byte
        if (size == 8 && (-addr) % 8 == 0 && f.spilled[top / 8] != null && f.stack[top] == AbstractState.SPILL) {
            return f.spilled[top / 8];
        }
        boolean zero = true;
        for (int k = 0; k < size; k++) {
            int idx = stackIndex(addr + k);
            if (idx < 0 || f.stack[idx] != AbstractState.ZERO) {
                zero = false;
                break;
            }
        }
        return zero ? Reg.constant(0) : Reg.unknownOfSize(size);
    }

    private void stackWrite(AbstractState st, Reg ptr, int insnOff, int size, Reg value) {
        long addr = ptr.off() + ptr.varOff().value() + insnOff;
        noteStackDepth(st, ptr, addr);
        if (ptr.frameno() > st.depth) return;
        AbstractState.Frame f = st.frames[ptr.frameno()];
        f.own();
        if (!ptr.varOff().isConst()) {
            // a variable-offset write may touch any byte it can reach: forget what they held
            for (int i = 0; i < AbstractState.STACK_BYTES; i++) if (f.stack[i] != AbstractState.INVALID) f.stack[i] = AbstractState.MISC;
            f.used = AbstractState.STACK_BYTES;
            Arrays.fill(f.spilled, null);
            return;
        }
        if (addr >= 0 || addr + size > 0 || addr < -AbstractState.STACK_BYTES) return; // the core verifier refuses it
        boolean isZero = value != null && value.isConst() && value.constValue() == 0;
        f.touch(stackIndex(addr));
        if (size == 8 && (-addr) % 8 == 0 && value != null && value.type() != Reg.NOT_INIT && !isZero) {
            int top = stackIndex(addr);
            for (int k = 0; k < 8; k++) f.stack[top - k] = AbstractState.SPILL;
            f.spilled[top / 8] = value;
            return;
        }
        for (int k = 0; k < size; k++) {
            int idx = stackIndex(addr + k);
            int spi = idx / 8;
            if (f.spilled[spi] != null) { // a partial overwrite destroys the spilled register
                for (int j = spi * 8; j < spi * 8 + 8; j++) if (f.stack[j] == AbstractState.SPILL) f.stack[j] = AbstractState.MISC;
                f.spilled[spi] = null;
            }
            f.stack[idx] = isZero ? AbstractState.ZERO : AbstractState.MISC;
        }
    }

    private void store(AbstractState st, int slot, Instruction in, Reg value) {
        Reg ptr = st.reg(in.dst());
        switch (ptr.type()) {
            case Reg.PTR_TO_STACK -> stackWrite(st, ptr, in.off(), in.sizeBytes(), value);
            case Reg.PTR_TO_PACKET -> packetAccess(ptr, in.off(), in.sizeBytes());
            default -> { }
        }
    }

    private void storeImmediate(AbstractState st, int slot, Instruction in) {
        Meta m = meta[slot];
        if (!m.reported) {
            m.reported = true;
            hook.checker(Rule.STORE_IMMEDIATE, Finding.Severity.ERROR, slot, Errno.EINVAL,
                    "BPF_ST (store of an immediate, opcode " + Tnum.hex(in.opcode()) + ") is never translated by the NFP JIT, "
                            + "whatever the destination; the load fails with EINVAL and only dmesg says "
                            + "\"NFP net bpf: Translation failed with error -95\". Store a register instead (BPF_STX)");
        }
        store(st, slot, in, Reg.constant(in.imm()));
    }

    private void atomic(AbstractState st, int slot, Instruction in) {
        Reg ptr = st.reg(in.dst());
        if (ptr.type() == Reg.PTR_TO_STACK) stackWrite(st, ptr, in.off(), in.sizeBytes(), Reg.UNKNOWN);
        if ((in.imm() & 0x01) != 0) { // BPF_FETCH
            if (in.imm() == 0xf1) st.set(0, Reg.unknownOfSize(in.sizeBytes()));
            else st.set(in.src(), Reg.unknownOfSize(in.sizeBytes()));
        }
    }

    // ---------------------------------------------------------------- ALU

    private void alu(AbstractState st, Instruction in) {
        boolean is64 = in.cls() == ALU64;
        int op = in.op();
        Reg dst = st.reg(in.dst());
        Reg src = in.source() == SRC_X ? st.reg(in.src()) : Reg.constant(in.imm());
        if (op == END || op == NEG) {
            st.set(in.dst(), op == END && in.imm() < 64 ? Reg.unknownOfSize(in.imm() / 8) : Reg.UNKNOWN);
            return;
        }
        if (op == MOV) {
            if (in.source() == SRC_K) {
                st.set(in.dst(), is64 ? Reg.constant(in.imm()) : Reg.constant(in.imm() & Reg.U32_MAX));
            } else if (is64) {
                if (src.isScalar() && src.id() == 0) {
                    src = src.withId(newId());
                    st.set(in.src(), src);
                }
                st.set(in.dst(), src);
            } else {
                st.set(in.dst(), src.isScalar() ? ScalarArithmetic.subreg(src).withId(0) : Reg.unknownOfSize(4));
            }
            return;
        }
        Reg result;
        if (dst.isPointer() || src.isPointer()) {
            result = is64 ? pointerArith(op, dst, src) : Reg.unknownOfSize(4);
        } else if (dst.type() == Reg.NOT_INIT || src.type() == Reg.NOT_INIT) {
            result = Reg.UNKNOWN; // the core verifier refuses reading an uninitialised register
        } else if (is64) {
            result = ScalarArithmetic.scalarOp(op, dst, src, 64);
        } else {
            Reg r = ScalarArithmetic.scalarOp(op, ScalarArithmetic.subreg(dst), ScalarArithmetic.subreg(src), 32);
            result = ScalarArithmetic.truncate32(r);
        }
        st.set(in.dst(), result.withId(0));
    }

    private Reg pointerArith(int op, Reg dst, Reg src) {
        if (dst.isPointer() && src.isPointer()) return Reg.UNKNOWN; // ptr - ptr (allowed for root) gives a scalar
        Reg ptr = dst.isPointer() ? dst : src;
        Reg off = dst.isPointer() ? src : dst;
        if (op == SUB && !dst.isPointer()) return Reg.UNKNOWN;
        if (op != ADD && op != SUB) return Reg.UNKNOWN;
        if (!off.isScalar()) return Reg.UNKNOWN;
        if (off.isConst()) {
            long v = op == ADD ? off.constValue() : -off.constValue();
            long n = ptr.off() + v;
            if (n == (int) n) return ptr.withOff((int) n);
        }
        Tnum t = op == ADD ? ptr.varOff().add(off.varOff()) : ptr.varOff().sub(off.varOff());
        Reg r = ScalarArithmetic.scalarOp(op, Reg.scalar(ptr.varOff(), ptr.umin(), ptr.umax(), ptr.smin(), ptr.smax()), off, 64);
        Reg out = ptr.withVar(t, r.umin(), r.umax(), r.smin(), r.smax());
        return ptr.type() == Reg.PTR_TO_PACKET ? out.withId(newId()) : out;
    }

    // ---------------------------------------------------------------- jumps, calls, exit

    private int jump(AbstractState st, int slot, Instruction in, Deque<Pending> pending) {
        if (in.isCall()) {
            if (in.src() == PSEUDO_CALL) {
                int target = slot + in.imm() + 1;
                if (st.depth + 1 >= AbstractState.MAX_FRAMES || target < 0 || target >= insns.length) return -1;
                AbstractState.Frame callee = new AbstractState.Frame(subprogOf[target], slot + 1);
                for (int r = 1; r <= 5; r++) callee.regs[r] = st.reg(r);
                st.depth++;
                st.frames[st.depth] = callee;
                callee.regs[10] = Reg.pointer(Reg.PTR_TO_STACK, 0, 0, st.depth, null);
                return target;
            }
            helperReturn(st, in);
            return slot + 1;
        }
        if (in.isExit()) {
            if (st.depth == 0) return -1;
            AbstractState.Frame callee = st.cur();
            Reg r0 = callee.regs[0];
            st.frames[st.depth] = null;
            st.depth--;
            st.set(0, r0.type() == Reg.PTR_TO_STACK && r0.frameno() > st.depth ? Reg.UNKNOWN : r0);
            for (int r = 1; r <= 5; r++) st.set(r, Reg.UNINIT);
            return callee.returnSlot;
        }
        int target = slot + in.off() + 1;
        if (in.op() == JA) return target;
        boolean is32 = in.cls() == JMP32;
        Reg dst = st.reg(in.dst());
        Reg src = in.source() == SRC_X ? st.reg(in.src()) : Reg.constant(is32 ? in.imm() & Reg.U32_MAX : (long) in.imm());
        int op = in.op();
        // pointer NULL checks
        if (in.source() == SRC_K && in.imm() == 0 && (op == JEQ || op == JNE) && !is32) {
            if (dst.type() == (Reg.PTR_TO_MAP_VALUE | Reg.PTR_MAYBE_NULL) && dst.id() != 0) {
                AbstractState other = st.copy();
                boolean takenIsNull = op == JEQ;
                markNull(other, dst.id(), takenIsNull);
                markNull(st, dst.id(), !takenIsNull);
                pending.push(new Pending(other, target));
                return slot + 1;
            }
            if (dst.isPointer() && dst.type() != Reg.PTR_TO_MAP_VALUE + Reg.PTR_MAYBE_NULL && (dst.type() & Reg.PTR_MAYBE_NULL) == 0) {
                return op == JNE ? target : slot + 1; // a pointer that cannot be NULL
            }
        }
        if (in.source() == SRC_X && !is32 && (op == JGT || op == JGE || op == JLT || op == JLE)) {
            boolean dstPkt = dst.type() == Reg.PTR_TO_PACKET && src.type() == Reg.PTR_TO_PACKET_END;
            boolean srcPkt = src.type() == Reg.PTR_TO_PACKET && dst.type() == Reg.PTR_TO_PACKET_END;
            if (dstPkt || srcPkt) {
                AbstractState other = st.copy();
                // try_match_pkt_pointers: which side of the jump proves how many bytes
                boolean onTaken = dstPkt ? op == JLT || op == JLE : op == JGT || op == JGE;
                boolean rightOpen = dstPkt ? op == JLT || op == JGE : op == JGT || op == JLE;
                markPacketRange(onTaken ? other : st, dstPkt ? dst : src, rightOpen);
                pending.push(new Pending(other, target));
                return slot + 1;
            }
        }
        if (dst.isScalar() && src.isConst()) {
            return compareWithConstant(st, slot, target, in.dst(), dst, src.constValue(), op, is32, pending);
        }
        if (src.isScalar() && dst.isConst() && in.source() == SRC_X) {
            return compareWithConstant(st, slot, target, in.src(), src, dst.constValue(), ScalarArithmetic.flip(op), is32, pending);
        }
        pending.push(new Pending(st.copy(), target));
        return slot + 1;
    }

    /** A conditional jump comparing a scalar register with a known value: follow one side, or both with narrowed ranges. */
    private int compareWithConstant(AbstractState st, int slot, int target, int regNo, Reg reg, long val, int op, boolean is32,
                                    Deque<Pending> pending) {
        int taken = ScalarArithmetic.branchTaken(reg, val, op, is32);
        if (taken == 1) return target;
        if (taken == 0) return slot + 1;
        AbstractState other = st.copy();
        ScalarArithmetic.refine(other, regNo, reg, val, op, is32, true);
        ScalarArithmetic.refine(st, regNo, reg, val, op, is32, false);
        pending.push(new Pending(other, target));
        return slot + 1;
    }

    private void helperReturn(AbstractState st, Instruction in) {
        int fn = in.imm();
        Reg r0;
        if (in.isHelperCall() && fn == FN_MAP_LOOKUP) {
            r0 = Reg.pointer(Reg.PTR_TO_MAP_VALUE | Reg.PTR_MAYBE_NULL, 0, newId(), 0, st.reg(1).map());
        } else {
            r0 = Reg.UNKNOWN;
        }
        if (in.isHelperCall() && (fn == FN_XDP_ADJUST_HEAD || fn == FN_XDP_ADJUST_TAIL || fn == FN_XDP_ADJUST_META)) {
            st.replaceAll(r -> r.type() == Reg.PTR_TO_PACKET || r.type() == Reg.PTR_TO_PACKET_END || r.type() == Reg.PTR_TO_PACKET_META ? Reg.UNKNOWN : null);
        }
        st.set(0, r0);
        for (int r = 1; r <= 5; r++) st.set(r, Reg.UNINIT);
    }

    /**
     * The kernel's {@code find_good_pkt_pointers}: after {@code pkt + off} was compared with
     * {@code data_end}, every packet pointer sharing its id may access {@code off} bytes ({@code off - 1}
     * when the comparison leaves the end open).
     */
    private static void markPacketRange(AbstractState st, Reg pkt, boolean rightOpen) {
        if (pkt.off() < 0 || (pkt.off() == 0 && rightOpen)) return;
        if (Long.compareUnsigned(pkt.umax(), MAX_PACKET_OFF) > 0 || pkt.umax() + pkt.off() > MAX_PACKET_OFF) return;
        int range = rightOpen ? pkt.off() - 1 : pkt.off();
        st.replaceAll(r -> r.type() == Reg.PTR_TO_PACKET && r.id() == pkt.id() && r.range() < range ? r.withRange(range) : null);
    }

    private static void markNull(AbstractState st, int id, boolean isNull) {
        st.replaceAll(r -> r.id() == id && r.type() == (Reg.PTR_TO_MAP_VALUE | Reg.PTR_MAYBE_NULL)
                ? (isNull ? Reg.constant(0) : r.withType(Reg.PTR_TO_MAP_VALUE).withId(0)) : null);
    }

}
