package dev.nicoffload.offload.precheck;

/**
 * The NFP offload rules the pre-checker enforces (see the facts document, section 1 and "What a Java
 * pre-checker must check"). Each finding names the rule it comes from.
 */
public enum Rule {
    /** The object must be one libbpf 1.1 can open (BTF, map definitions, sections). */
    OPEN("open"),
    /** Only XDP and SCHED_CLS programs can be offloaded. */
    PROGRAM_TYPE("program-type"),
    /** {@code prog_flags} must be 0 (no {@code xdp.frags}, no alignment or test flags). */
    PROGRAM_FLAGS("program-flags"),
    /** Every opcode must be in the NFP JIT's 115-opcode table. */
    OPCODE("opcode"),
    /** Registers must be below R11. */
    REGISTERS("registers"),
    /** Atomics: only add, only to map values, only of scalars. */
    ATOMIC("atomic"),
    /** MUL operands must be within u32. */
    MUL("mul"),
    /** DIV only by a non-negative constant, dividend within u32. */
    DIV("div"),
    /** Only whitelisted helpers, with the NFP's argument rules and firmware support. */
    HELPER("helper"),
    /** Loads and stores only through ctx, stack, map value or packet pointers, same type on every path. */
    POINTER("pointer"),
    /** Stack accesses at constant offsets, the same offset mod 4 on every path. */
    STACK_ACCESS("stack-access"),
    /** Map values: no stores, constant in-bounds offsets, no read and atomic use of one word. */
    MAP_VALUE("map-value"),
    /** Context fields the NFP JIT can read or write. */
    CONTEXT("context"),
    /** BPF_ST (store immediate) is never translated by the NFP JIT. */
    STORE_IMMEDIATE("store-immediate"),
    /** TC programs must return a constant 2, 4, 5 or above 7. */
    EXIT("exit"),
    /** ld_imm64 must reference maps with BPF_PSEUDO_MAP_FD; no global data or fd_array indexes. */
    LD_IMM64("ld-imm64"),
    /** bpf-to-bpf calls work; kfuncs and callbacks do not. */
    CALL("call"),
    /** Maps: type, flags, sizes and element budget within firmware limits. */
    MAP("map"),
    /** Stack use of the deepest call chain within the firmware stack. */
    STACK_SIZE("stack-size"),
    /** Estimated NFP instruction count within the firmware's program length. */
    PROGRAM_LENGTH("program-length"),
    /** Direct packet accesses within the hardware packet split boundary. */
    PACKET_SPLIT("packet-split"),
    /** The analysis itself hit a limit (a result of the checker, not of the kernel). */
    ANALYSIS("analysis");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    /** @return the rule's short identifier, used in rendered messages */
    public String id() {
        return id;
    }
}
