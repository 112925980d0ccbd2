package dev.nicoffload.offload.adapt;

import dev.nicoffload.offload.spec.ObjectFormatException;
import java.util.Objects;

/**
 * Edits a BPF ELF object so that it offloads to an NFP without changing what its programs do, and
 * says exactly what it changed (see {@code docs/adapting.md}):
 * <ul>
 *   <li>per-CPU maps become shared ({@code PERCPU_ARRAY}→{@code ARRAY}, {@code PERCPU_HASH}→{@code HASH}),
 *       each load/add/store of a value word becomes an atomic add;</li>
 *   <li>loads of {@code .rodata} at constant offsets are folded into immediates and the section removed;</li>
 *   <li>{@code .bss}/{@code .data} counters move into a one-element ARRAY map reached by a lookup and an atomic add;</li>
 *   <li>{@code BPF_F_NO_PREALLOC} is dropped;</li>
 *   <li>only when allowed: {@link AllowedChange#LRU_TO_HASH}, {@link AllowedChange#TC_OK_TO_UNSPEC}.</li>
 * </ul>
 * Everything else that keeps a program off the NIC for reasons of state (a per-CPU value read for a
 * decision, a plain store into a value, map types and helpers the NIC lacks) is a {@link Refusal}.
 * Only the global counter move inserts instructions; jump and call offsets, relocations, symbols and
 * BTF.ext records are then moved with them. Map definitions are edited in BTF ({@code .maps}) or in place (legacy {@code maps}).
 */
public final class Adapter {

    private Adapter() {
    }

    /**
     * Adapts an object.
     *
     * @param elf        the BPF ELF object (not modified)
     * @param objectName libbpf's object name (the file name without {@code .o}), used to name the
     *                   global-data maps in the report as libbpf names them
     * @param options    which program, which meaning-changing transformations
     * @return the adapted object, or the refusals
     * @throws ObjectFormatException if the bytes are not a valid BPF object
     */
    public static Adaptation adapt(byte[] elf, String objectName, AdaptOptions options) {
        Objects.requireNonNull(elf, "elf");
        Objects.requireNonNull(objectName, "objectName");
        Objects.requireNonNull(options, "options");
        try {
            return new AdaptRun(elf, objectName, options).run();
        } catch (IndexOutOfBoundsException | NumberFormatException | java.nio.BufferUnderflowException e) {
            throw new ObjectFormatException("malformed BPF object: " + e.getMessage(), e);
        }
    }

    /**
     * The name libbpf 1.1 gives the internal map of a global data section: up to 15 characters, the
     * object name's start followed by the section name, or the section name alone when it has a
     * second dot ({@code .rodata.str1.1}).
     *
     * @param objectName libbpf's object name
     * @param section    {@code .rodata}, {@code .bss}, {@code .data}, ...
     * @return the map name
     */
    public static String libbpfInternalMapName(String objectName, String section) {
        // libbpf 1.1 internal_map_name(): the suffix counts as at least 7 characters, the prefix gets
        // what is left of BPF_OBJ_NAME_LEN (16) minus the NUL, and characters the kernel does not allow
        // in a map name become '_' (xdp-dispatcher + .rodata -> xdp_disp.rodata, xdp_global_counters + .bss -> xdp_glob.bss)
        int sfx = Math.max(7, section.length());
        int pfx = section.indexOf('.', 1) >= 0 ? 0 : Math.max(0, Math.min(16 - sfx - 1, objectName.length()));
        String name = objectName.substring(0, pfx) + section;
        if (name.length() > 15) name = name.substring(0, 15);
        StringBuilder b = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            boolean ok = c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.');
            b.append(ok ? c : '_');
        }
        return b.toString();
    }
}
