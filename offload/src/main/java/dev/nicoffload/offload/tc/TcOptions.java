package dev.nicoffload.offload.tc;

import java.util.Objects;
import java.util.Optional;

/**
 * How a cls_bpf filter is installed: offload flags, direct-action, and the filter's identity
 * (direction, chain, priority, handle, protocol). Immutable; the {@code with...} methods return
 * modified copies and refuse values the kernel could never accept.
 * <ul>
 * <li>{@link #offloaded()}: {@code skip_sw}: in hardware or not at all (what offload needs);</li>
 * <li>{@link #software()}: {@code skip_hw}: never offloaded;</li>
 * <li>{@link #defaults()}: no flag: offloaded when the device takes it, else in software, without error.</li>
 * </ul>
 * All three use ingress, chain 0, priority 1, handle 1, protocol {@code all} ({@code ETH_P_ALL})
 * and direct-action, which is what an offload driver accepts.
 */
public final class TcOptions {

    /** {@code ETH_P_ALL}. */
    public static final int ETH_P_ALL = 0x0003;

    private final boolean skipSw;
    private final boolean skipHw;
    private final boolean directAction;
    private final TcDirection direction;
    private final int chain;
    private final int priority;
    private final int handle;
    private final int protocol;
    private final String name;

    private TcOptions(boolean skipSw, boolean skipHw, boolean directAction, TcDirection direction, int chain,
                      int priority, int handle, int protocol, String name) {
        if (skipSw && skipHw) {
            throw new IllegalArgumentException("skip_sw and skip_hw together leave the filter nowhere");
        }
        if (priority < 1 || priority > 0xffff) {
            throw new IllegalArgumentException("priority must be 1..65535: " + priority);
        }
        if (handle == 0) {
            throw new IllegalArgumentException("handle must not be 0");
        }
        if (protocol < 0 || protocol > 0xffff) {
            throw new IllegalArgumentException("protocol must be an ethertype 0..65535: " + protocol);
        }
        if (name != null && (name.isEmpty() || name.length() > 255 || name.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("filter name must be 1..255 characters without NUL");
        }
        this.skipSw = skipSw;
        this.skipHw = skipHw;
        this.directAction = directAction;
        this.direction = Objects.requireNonNull(direction, "direction");
        this.chain = chain;
        this.priority = priority;
        this.handle = handle;
        this.protocol = protocol;
        this.name = name;
    }

    /** {@code skip_sw}, direct-action: the filter runs in hardware or the request fails. */
    public static TcOptions offloaded() {
        return new TcOptions(true, false, true, TcDirection.INGRESS, 0, 1, 1, ETH_P_ALL, null);
    }

    /** {@code skip_hw}, direct-action: the filter runs in software only. */
    public static TcOptions software() {
        return new TcOptions(false, true, true, TcDirection.INGRESS, 0, 1, 1, ETH_P_ALL, null);
    }

    /** No offload flag, direct-action: offloaded when the device accepts it, else silently in software. */
    public static TcOptions defaults() {
        return new TcOptions(false, false, true, TcDirection.INGRESS, 0, 1, 1, ETH_P_ALL, null);
    }

    /** With or without {@code skip_sw}. */
    public TcOptions withSkipSw(boolean value) {
        return new TcOptions(value, skipHw, directAction, direction, chain, priority, handle, protocol, name);
    }

    /** With or without {@code skip_hw}. */
    public TcOptions withSkipHw(boolean value) {
        return new TcOptions(skipSw, value, directAction, direction, chain, priority, handle, protocol, name);
    }

    /** With or without direct-action ({@code da}): the program's return value is the TC verdict. */
    public TcOptions withDirectAction(boolean value) {
        return new TcOptions(skipSw, skipHw, value, direction, chain, priority, handle, protocol, name);
    }

    /** On another hook. */
    public TcOptions withDirection(TcDirection value) {
        return new TcOptions(skipSw, skipHw, directAction, value, chain, priority, handle, protocol, name);
    }

    /** In another chain (an unsigned 32-bit index; offload drivers take chain 0 only). */
    public TcOptions withChain(int value) {
        return new TcOptions(skipSw, skipHw, directAction, direction, value, priority, handle, protocol, name);
    }

    /** With another priority (1..65535). */
    public TcOptions withPriority(int value) {
        return new TcOptions(skipSw, skipHw, directAction, direction, chain, value, handle, protocol, name);
    }

    /** With another handle (non-zero). */
    public TcOptions withHandle(int value) {
        return new TcOptions(skipSw, skipHw, directAction, direction, chain, priority, value, protocol, name);
    }

    /** Matching another ethertype (host order, e.g. {@code 0x0800}; offload drivers take {@link #ETH_P_ALL} only). */
    public TcOptions withProtocol(int value) {
        return new TcOptions(skipSw, skipHw, directAction, direction, chain, priority, handle, value, name);
    }

    /** With the name the filter reports ({@code TCA_BPF_NAME}); by default the program's name. */
    public TcOptions withName(String value) {
        return new TcOptions(skipSw, skipHw, directAction, direction, chain, priority, handle, protocol, value);
    }

    /** {@code skip_sw}. */
    public boolean skipSw() {
        return skipSw;
    }

    /** {@code skip_hw}. */
    public boolean skipHw() {
        return skipHw;
    }

    /** Direct-action. */
    public boolean directAction() {
        return directAction;
    }

    /** The hook. */
    public TcDirection direction() {
        return direction;
    }

    /** The chain index (unsigned). */
    public int chain() {
        return chain;
    }

    /** The priority. */
    public int priority() {
        return priority;
    }

    /** The handle (unsigned). */
    public int handle() {
        return handle;
    }

    /** The ethertype, host order. */
    public int protocol() {
        return protocol;
    }

    /** The filter name, when set. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcOptions t && t.skipSw == skipSw && t.skipHw == skipHw && t.directAction == directAction
                && t.direction == direction && t.chain == chain && t.priority == priority && t.handle == handle
                && t.protocol == protocol && Objects.equals(t.name, name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(skipSw, skipHw, directAction, direction, chain, priority, handle, protocol, name);
    }

    @Override
    public String toString() {
        return "TcOptions[" + direction.name().toLowerCase() + " chain " + Integer.toUnsignedString(chain) + " prio " + priority
                + " handle 0x" + Integer.toHexString(handle) + " protocol 0x" + Integer.toHexString(protocol)
                + (skipSw ? " skip_sw" : "") + (skipHw ? " skip_hw" : "") + (directAction ? " da" : "")
                + (name == null ? "" : " name " + name) + "]";
    }
}
