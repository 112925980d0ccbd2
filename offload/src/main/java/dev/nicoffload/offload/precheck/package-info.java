/**
 * The NFP pre-checker: tells, before load, whether a program can be offloaded to a Netronome NFP and,
 * if not, why, in the kernel's own words. Entry points: {@link dev.nicoffload.offload.precheck.NfpPreChecker}
 * (API) and {@link dev.nicoffload.offload.precheck.CheckTool} (the {@code check} command).
 *
 * <h2>How it works</h2>
 * An abstract interpretation walks each program's instructions in the kernel verifier's order
 * (register types, constant stack offsets, tnums and unsigned/signed ranges, stack slots with spilled
 * registers, map-value null checks, bpf-to-bpf call frames), and at every instruction re-runs the NFP
 * driver's verifier hook ({@code nfp_verify_insn}, 6.1): opcode whitelist, registers, helpers and
 * their arguments, pointer types and their consistency across paths, stack offsets, per-word map value
 * use (read/atomic) shared by all paths, MUL/DIV ranges merged across paths, TC exit values. Then the
 * driver's finalize step (stack use of the deepest call chain, each frame rounded to 64 B), the JIT
 * stage (BPF_ST, context fields, program length from per-instruction costs) and the device load
 * (packet split boundary) follow. Map creation checks ({@code nfp_bpf_map_alloc}) run first.
 *
 * <h2>What is reported</h2>
 * <ul>
 * <li>{@link dev.nicoffload.offload.precheck.Finding.Source#VERIFIER_LOG}: exactly the line the driver
 *     writes into the verifier log, rendered with the {@code [nfp] } prefix. Like the kernel, the
 *     checker stops at the first such refusal. The event-output warning is reported once; the kernel
 *     keeps it in the log of an accepted program only at log level 2.</li>
 * <li>{@link dev.nicoffload.offload.precheck.Finding.Source#EXTACK}: the driver's netlink message at
 *     device load (packet split boundary), rendered with the {@code nfp: } prefix.</li>
 * <li>{@link dev.nicoffload.offload.precheck.Finding.Source#CHECKER}: failures the kernel reports only
 *     in dmesg or as a bare errno (every BPF_ST, context fields the JIT cannot translate, map flags,
 *     types and sizes, program too long, program type and flags, global data), in a message of the
 *     checker's own that names the rule and quotes the dmesg text.</li>
 * </ul>
 * Every finding carries the kernel (8-byte slot) index of its instruction and the errno the load
 * would fail with.
 *
 * <h2>Not modelled</h2>
 * The driver's dead-code optimisation callbacks ({@code branch hard wire ...}, {@code unsupported
 * instruction replacement ...}) and its internal {@code BUG:} lines cannot be triggered by a program
 * in 6.1 (the verifier only hard-wires conditional jumps, before removing code), so the checker does
 * not emit them. TC attach-time conditions (ingress, chain 0, protocol all, direct action, live
 * reload) are properties of the attach request, not of the program. State left on a map by earlier
 * loads or userspace updates (a word already used atomically) is not known to a pre-load check; maps
 * are assumed fresh.
 *
 * <h2>Firmware profiles</h2>
 * {@link dev.nicoffload.offload.precheck.FirmwareCapabilities#nfpsim()} is the test kernel's
 * simulated NFP at boot; {@link dev.nicoffload.offload.precheck.FirmwareCapabilities#agilioCx()} is a
 * documented assumption for the Agilio CX BPF firmware; users build their own with
 * {@link dev.nicoffload.offload.precheck.FirmwareCapabilities#builder()} or read nfpsim's live profile
 * with {@link dev.nicoffload.offload.precheck.FirmwareCapabilities#fromNfpsimDebugfs(java.nio.file.Path)}.
 */
package dev.nicoffload.offload.precheck;
