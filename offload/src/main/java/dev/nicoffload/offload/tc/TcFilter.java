package dev.nicoffload.offload.tc;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A cls_bpf filter as the kernel reports it.
 *
 * @param ifindex       the device
 * @param direction     the hook
 * @param chain         chain index (unsigned)
 * @param priority      priority
 * @param handle        handle (unsigned)
 * @param protocol      ethertype, host order ({@link TcOptions#ETH_P_ALL} for {@code all})
 * @param programId     the eBPF program's id ({@code TCA_BPF_ID}); 0 for classic BPF
 * @param tag           the program tag as 16 hex digits; empty for classic BPF
 * @param name          the filter's program name ({@code TCA_BPF_NAME}); empty when none
 * @param directAction  whether direct-action is set
 * @param skipSw        {@code skip_sw}
 * @param skipHw        {@code skip_hw}
 * @param inHw          {@code in_hw}: the filter is offloaded to at least one device
 * @param inHwCount     how many devices hold it, when the kernel reports that (cls_bpf in Linux 6.1 does not)
 * @param kernelWarning the extack text the kernel attached to a successful add/replace (a warning), if any;
 *                      always empty for listed filters
 */
public record TcFilter(int ifindex, TcDirection direction, int chain, int priority, int handle, int protocol,
                       int programId, String tag, Optional<String> name, boolean directAction, boolean skipSw,
                       boolean skipHw, boolean inHw, OptionalInt inHwCount, Optional<String> kernelWarning) {

    /** True when this entry is at the place {@code options} names (direction, chain, priority, handle, protocol). */
    public boolean isAt(TcOptions options) {
        return direction == options.direction() && chain == options.chain() && priority == options.priority()
                && handle == options.handle() && protocol == options.protocol();
    }
}
