package dev.nicoffload.offload.precheck;

import dev.nicoffload.jit.io.InputFiles;
import dev.nicoffload.jit.io.SafeText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;

/**
 * The limits and optional features the NFP driver reads from the BPF firmware: the control BAR
 * ({@code NFP_NET_CFG_BPF_*}) and the capability TLVs ({@code struct nfp_app_bpf}). Everything the
 * pre-checker decides that depends on the card comes from here.
 *
 * <p>Two documented profiles are built in: {@link #agilioCx()} and {@link #nfpsim()}. Users supply
 * their own with {@link #builder()} (or {@link #toBuilder()} to change one value of a profile), and
 * {@link #fromNfpsimDebugfs(Path)} reads the live profile of the test kernel's simulated NFP.
 *
 * @param abiVersion          BPF ABI version (2 or 3)
 * @param maxProgramLength    {@code NFP_NET_CFG_BPF_MAX_LEN}: maximum NFP instructions
 * @param stackSizeUnits      {@code NFP_NET_CFG_BPF_STACK_SZ}, in 64-byte units
 * @param inlineMtuUnits      {@code NFP_NET_CFG_BPF_INL_MTU}, in 64-byte units (packet split boundary = units × 64 − 32)
 * @param liveReload          {@code NFP_NET_BPF_CAP_RELO}: a running program may be replaced
 * @param helperMapLookup     firmware address of {@code bpf_map_lookup_elem}, 0 when absent
 * @param helperMapUpdate     firmware address of {@code bpf_map_update_elem}, 0 when absent
 * @param helperMapDelete     firmware address of {@code bpf_map_delete_elem}, 0 when absent
 * @param helperPerfEventOutput firmware address of {@code bpf_perf_event_output}, 0 when absent
 * @param adjustHeadFlags     ADJUST_HEAD TLV flags (bit 0: {@code NFP_BPF_ADJUST_HEAD_NO_META})
 * @param adjustHeadOffMin    lowest new data start of {@code bpf_xdp_adjust_head}
 * @param adjustHeadOffMax    highest new data start; 0 means adjust_head is not supported
 * @param adjustHeadGuaranteedSub bytes adjust_head may always move the start back (optimised path)
 * @param adjustHeadGuaranteedAdd bytes adjust_head may always move the start forward (optimised path)
 * @param adjustTail          ADJUST_TAIL TLV present
 * @param pseudoRandom        RANDOM TLV present ({@code bpf_get_prandom_u32})
 * @param queueSelect         QUEUE_SELECT TLV present (XDP stores to {@code rx_queue_index})
 * @param mapTypes            bitmask of offloadable map types ({@code 1 << map_type})
 * @param maxMaps             maximum number of maps on the device
 * @param maxElements         element budget shared by all maps on the device
 * @param maxKeySize          maximum key size in bytes
 * @param maxValueSize        maximum value size in bytes
 * @param maxElementSize      maximum {@code round_up(key, 8) + round_up(value, 8)}
 */
public record FirmwareCapabilities(int abiVersion, int maxProgramLength, int stackSizeUnits, int inlineMtuUnits,
                                   boolean liveReload, long helperMapLookup, long helperMapUpdate,
                                   long helperMapDelete, long helperPerfEventOutput, int adjustHeadFlags,
                                   int adjustHeadOffMin, int adjustHeadOffMax, int adjustHeadGuaranteedSub,
                                   int adjustHeadGuaranteedAdd, boolean adjustTail, boolean pseudoRandom,
                                   boolean queueSelect, int mapTypes, int maxMaps, int maxElements, int maxKeySize,
                                   int maxValueSize, int maxElementSize) {

    /** Where nfpsim (the test kernel's simulated NFP) exposes its firmware profile: {@code /sys/kernel/debug/nfpsim}. */
    public static final Path NFPSIM_DEBUGFS = Path.of("/sys/kernel/debug/nfpsim");

    /** {@code NFP_BPF_ADJUST_HEAD_NO_META}. */
    public static final int ADJUST_HEAD_NO_META = 1;

    /** Validates ranges. */
    public FirmwareCapabilities {
        if (maxProgramLength < 0 || maxProgramLength > 0xffff) throw new IllegalArgumentException("maxProgramLength is a u16: " + maxProgramLength);
        if (stackSizeUnits < 0 || stackSizeUnits > 0xff) throw new IllegalArgumentException("stackSizeUnits is a u8: " + stackSizeUnits);
        if (inlineMtuUnits < 0 || inlineMtuUnits > 0xff) throw new IllegalArgumentException("inlineMtuUnits is a u8: " + inlineMtuUnits);
        if (maxMaps < 0 || maxElements < 0 || maxKeySize < 0 || maxValueSize < 0 || maxElementSize < 0) {
            throw new IllegalArgumentException("negative map limit");
        }
    }

    /** @return the firmware stack in bytes ({@code STACK_SZ × 64}) */
    public int stackBytes() {
        return stackSizeUnits * 64;
    }

    /** @return the hardware packet split boundary in bytes ({@code INL_MTU × 64 − 32}) */
    public int packetSplitBoundary() {
        return inlineMtuUnits * 64 - 32;
    }

    /**
     * The profile of nfpsim, the test kernel's simulated NFP, at boot (nfpsim README and
     * {@code nfpsim_default_caps()}): ABI 3, live reload, 4096 NFP instructions, stack 512 B
     * (8 × 64), packet split boundary 2016 B (32 × 64 − 32), helpers map lookup/update/delete and perf
     * output at 0x3f00–0x3f30, adjust_head with NO_META (offsets 8..248, guaranteed sub 64 / add 46),
     * adjust_tail, random and queue select present, maps HASH|ARRAY, 64 maps, 2^20 elements, key and
     * value ≤ 64 B, element ≤ 128 B. These numbers are synthetic (invented for the simulator).
     *
     * @return the nfpsim boot profile
     */
    public static FirmwareCapabilities nfpsim() {
        return builder().build();
    }

    /**
     * A default profile for the Agilio CX with Netronome's BPF firmware. The kernel reads all of
     * these values from the card, and the public sources do not list them, so this profile is a
     * <em>conservative assumption</em> rather than a measurement: ABI 2 (whose control messages cap
     * keys and values at 64 B, the one fixed number in the driver), element (key + value) ≤ 64 B as
     * reported by users of the offload, stack 512 B, 4096 NFP instructions, packet split boundary
     * 2016 B, live reload, the four helper entry points, adjust_head without metadata shifting, random
     * numbers and queue select, but <b>no</b> adjust_tail (its TLV came with later firmware), maps
     * HASH|ARRAY with 64 maps and 2^20 elements. Read the real values from a card whenever one is
     * available and pass them with {@link #builder()}.
     *
     * @return the assumed Agilio CX profile
     */
    public static FirmwareCapabilities agilioCx() {
        return builder().abiVersion(2).maxElementSize(64).adjustTail(false).build();
    }

    /** @return a builder initialised with the {@link #nfpsim()} values */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder initialised with this profile's values */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.abiVersion = abiVersion; b.maxProgramLength = maxProgramLength; b.stackSizeUnits = stackSizeUnits;
        b.inlineMtuUnits = inlineMtuUnits; b.liveReload = liveReload; b.helperMapLookup = helperMapLookup;
        b.helperMapUpdate = helperMapUpdate; b.helperMapDelete = helperMapDelete;
        b.helperPerfEventOutput = helperPerfEventOutput; b.adjustHeadFlags = adjustHeadFlags;
        b.adjustHeadOffMin = adjustHeadOffMin; b.adjustHeadOffMax = adjustHeadOffMax;
        b.adjustHeadGuaranteedSub = adjustHeadGuaranteedSub; b.adjustHeadGuaranteedAdd = adjustHeadGuaranteedAdd;
        b.adjustTail = adjustTail; b.pseudoRandom = pseudoRandom; b.queueSelect = queueSelect; b.mapTypes = mapTypes;
        b.maxMaps = maxMaps; b.maxElements = maxElements; b.maxKeySize = maxKeySize; b.maxValueSize = maxValueSize;
        b.maxElementSize = maxElementSize;
        return b;
    }

    /**
     * Reads the live profile of nfpsim from its debugfs files, {@code <dir>/bar/*} and
     * {@code <dir>/caps/*} (normally {@code dir = /sys/kernel/debug/nfpsim}). Decimal ({@code u8},
     * {@code u16}, {@code u32}), hex ({@code x8}..{@code x32}, {@code 0x} prefix) and bool ({@code Y}/{@code N})
     * files are all understood.
     *
     * @param dir the nfpsim debugfs directory
     * @return the profile
     * @throws UncheckedIOException if a file is missing or unreadable
     * @throws IllegalArgumentException if a file holds something that is not a number or bool
     */
    public static FirmwareCapabilities fromNfpsimDebugfs(Path dir) {
        Path bar = dir.resolve("bar"), caps = dir.resolve("caps");
        Builder b = builder();
        b.abiVersion((int) num(caps.resolve("abi_version")));
        b.maxProgramLength((int) num(bar.resolve("bpf_max_len")));
        b.stackSizeUnits((int) num(bar.resolve("bpf_stack_sz")));
        b.inlineMtuUnits((int) num(bar.resolve("bpf_inl_mtu")));
        b.liveReload((num(bar.resolve("bpf_cap")) & 1) != 0);
        b.helperMapLookup(num(caps.resolve("helper_map_lookup")));
        b.helperMapUpdate(num(caps.resolve("helper_map_update")));
        b.helperMapDelete(num(caps.resolve("helper_map_delete")));
        b.helperPerfEventOutput(num(caps.resolve("helper_perf_event_output")));
        b.adjustHead((int) num(caps.resolve("adjust_head_flags")), (int) num(caps.resolve("adjust_head_off_min")),
                (int) num(caps.resolve("adjust_head_off_max")), (int) num(caps.resolve("adjust_head_guaranteed_sub")),
                (int) num(caps.resolve("adjust_head_guaranteed_add")));
        b.adjustTail(bool(caps.resolve("adjust_tail")));
        b.pseudoRandom(bool(caps.resolve("pseudo_random")));
        b.queueSelect(bool(caps.resolve("queue_select")));
        b.mapTypes((int) num(caps.resolve("maps_types")));
        b.maxMaps((int) num(caps.resolve("maps_max_maps")));
        b.maxElements((int) num(caps.resolve("maps_max_elems")));
        b.maxKeySize((int) num(caps.resolve("maps_max_key_sz")));
        b.maxValueSize((int) num(caps.resolve("maps_max_val_sz")));
        b.maxElementSize((int) num(caps.resolve("maps_max_elem_sz")));
        return b.build();
    }

    private static String text(Path file) {
        try {
            // bounded: a profile directory given on the command line may hold anything
            return new String(InputFiles.read(file, 4096), StandardCharsets.ISO_8859_1).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("nfpsim debugfs file " + file + ": " + e.getMessage(), e);
        }
    }

    private static long num(Path file) {
        String t = text(file);
        try {
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " holds \"" + SafeText.escape(t) + "\", not a number", e);
        }
    }

    private static boolean bool(Path file) {
        String t = text(file);
        return switch (t) {
            case "Y", "y", "1" -> true;
            case "N", "n", "0" -> false;
            default -> throw new IllegalArgumentException(file + " holds \"" + SafeText.escape(t) + "\", not Y/N");
        };
    }

    /** Builds a {@link FirmwareCapabilities}; starts from the {@link #nfpsim()} values. */
    public static final class Builder {
        private int abiVersion = 3, maxProgramLength = 4096, stackSizeUnits = 8, inlineMtuUnits = 32;
        private boolean liveReload = true;
        private long helperMapLookup = 0x3f00, helperMapUpdate = 0x3f10, helperMapDelete = 0x3f20,
                helperPerfEventOutput = 0x3f30;
        private int adjustHeadFlags = ADJUST_HEAD_NO_META, adjustHeadOffMin = 8, adjustHeadOffMax = 248,
                adjustHeadGuaranteedSub = 64, adjustHeadGuaranteedAdd = 46;
        private boolean adjustTail = true, pseudoRandom = true, queueSelect = true;
        private int mapTypes = (1 << 1) | (1 << 2), maxMaps = 64, maxElements = 1 << 20, maxKeySize = 64,
                maxValueSize = 64, maxElementSize = 128;

        private Builder() {
        }

        /** @param v ABI version @return this */
        public Builder abiVersion(int v) { abiVersion = v; return this; }
        /** @param v max NFP instructions @return this */
        public Builder maxProgramLength(int v) { maxProgramLength = v; return this; }
        /** @param v stack size in 64-byte units @return this */
        public Builder stackSizeUnits(int v) { stackSizeUnits = v; return this; }
        /** @param v inline MTU in 64-byte units @return this */
        public Builder inlineMtuUnits(int v) { inlineMtuUnits = v; return this; }
        /** @param v live reload capability @return this */
        public Builder liveReload(boolean v) { liveReload = v; return this; }
        /** @param v lookup helper address, 0 = absent @return this */
        public Builder helperMapLookup(long v) { helperMapLookup = v; return this; }
        /** @param v update helper address, 0 = absent @return this */
        public Builder helperMapUpdate(long v) { helperMapUpdate = v; return this; }
        /** @param v delete helper address, 0 = absent @return this */
        public Builder helperMapDelete(long v) { helperMapDelete = v; return this; }
        /** @param v perf output helper address, 0 = absent @return this */
        public Builder helperPerfEventOutput(long v) { helperPerfEventOutput = v; return this; }
        /** @param v adjust_tail support @return this */
        public Builder adjustTail(boolean v) { adjustTail = v; return this; }
        /** @param v random number support @return this */
        public Builder pseudoRandom(boolean v) { pseudoRandom = v; return this; }
        /** @param v queue select support @return this */
        public Builder queueSelect(boolean v) { queueSelect = v; return this; }
        /** @param v bitmask of map types @return this */
        public Builder mapTypes(int v) { mapTypes = v; return this; }
        /** @param v max maps @return this */
        public Builder maxMaps(int v) { maxMaps = v; return this; }
        /** @param v element budget @return this */
        public Builder maxElements(int v) { maxElements = v; return this; }
        /** @param v max key size @return this */
        public Builder maxKeySize(int v) { maxKeySize = v; return this; }
        /** @param v max value size @return this */
        public Builder maxValueSize(int v) { maxValueSize = v; return this; }
        /** @param v max element size @return this */
        public Builder maxElementSize(int v) { maxElementSize = v; return this; }

        /**
         * @param flags          TLV flags
         * @param offMin         lowest new data start
         * @param offMax         highest new data start (0 = unsupported)
         * @param guaranteedSub  guaranteed headroom to grow
         * @param guaranteedAdd  guaranteed length to shrink
         * @return this
         */
        public Builder adjustHead(int flags, int offMin, int offMax, int guaranteedSub, int guaranteedAdd) {
            adjustHeadFlags = flags; adjustHeadOffMin = offMin; adjustHeadOffMax = offMax;
            adjustHeadGuaranteedSub = guaranteedSub; adjustHeadGuaranteedAdd = guaranteedAdd;
            return this;
        }

        /** @return the profile */
        public FirmwareCapabilities build() {
            return new FirmwareCapabilities(abiVersion, maxProgramLength, stackSizeUnits, inlineMtuUnits, liveReload,
                    helperMapLookup, helperMapUpdate, helperMapDelete, helperPerfEventOutput, adjustHeadFlags,
                    adjustHeadOffMin, adjustHeadOffMax, adjustHeadGuaranteedSub, adjustHeadGuaranteedAdd, adjustTail,
                    pseudoRandom, queueSelect, mapTypes, maxMaps, maxElements, maxKeySize, maxValueSize, maxElementSize);
        }
    }
}
