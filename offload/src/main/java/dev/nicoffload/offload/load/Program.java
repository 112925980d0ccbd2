package dev.nicoffload.offload.load;

import dev.nicoffload.jit.NfpFormatException;
import dev.nicoffload.jit.image.ProgramImage;
import dev.nicoffload.offload.device.OffloadDevice;
import dev.nicoffload.offload.info.ProgramInfo;
import dev.nicoffload.offload.info.ProgramType;

import dev.nicoffload.offload.internal.InfoReader;
import dev.nicoffload.offload.internal.Pins;
import dev.nicoffload.offload.tc.Tc;
import dev.nicoffload.offload.tc.TcAttachment;
import dev.nicoffload.offload.tc.TcOptions;
import dev.nicoffload.offload.xdp.Xdp;
import dev.nicoffload.offload.xdp.XdpAttachment;
import dev.nicoffload.offload.xdp.XdpMode;
import dev.nicoffload.offload.xdp.XdpPolicy;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded BPF program. Programs of a {@link LoadedObject} live as long as the object; a program
 * opened from a bpffs pin ({@link #openPinned}) owns its file descriptor and must be closed.
 * Attaching creates an {@link XdpAttachment}; closing the program does not detach it (the kernel
 * keeps an attached program alive), closing the attachment does.
 */
public final class Program implements AutoCloseable {

    private final String name;
    private final ProgramType type;
    private final OffloadDevice boundTo;
    private final HandleFd fd;

    /** A program owned by {@code owner}: it lives as long as the object. */
    Program(String name, ProgramType type, OffloadDevice boundTo, int fd, LoadedObject owner) {
        this.name = name;
        this.type = type;
        this.boundTo = boundTo;
        this.fd = HandleFd.ofObject(fd, owner);
    }

    /** A program owning {@code fd}. */
    private Program(String name, ProgramType type, OffloadDevice boundTo, int fd, String what) {
        this.name = name;
        this.type = type;
        this.boundTo = boundTo;
        this.fd = HandleFd.owned(this, fd, what);
    }

    /**
     * Opens a program pinned in bpffs; the returned program owns its fd. The path is walked first:
     * a directory on bpffs that another user owns or that group or others can write, or a symbolic
     * link another user owns, is refused before the kernel follows it.
     *
     * @throws IllegalArgumentException when {@code pin} is not an absolute path, is a directory, is not on bpffs,
     *                                  or a directory or link on the way fails that rule
     */
    public static Program openPinned(Path pin) {
        return open(Pins.open(pin, "program"), "program pinned at " + pin);
    }

    /**
     * Opens a loaded program by its kernel id (as {@code bpftool prog show id N} does); the returned
     * program owns its fd.
     *
     * @throws IllegalArgumentException when {@code id} is not positive
     */
    public static Program openById(int id) {
        return open(InfoReader.programFdById(id), "program id " + id);
    }

    private static Program open(int fd, String origin) {
        return HandleFd.adopt(fd, f -> {
            ProgramInfo info = InfoReader.programInfo(f);
            return new Program(info.name(), info.type(), InfoReader.deviceOf(info.ifname()), f, origin);
        });
    }

    /** The program's name (its function name in the object). */
    public String name() {
        return name;
    }

    /** The program type, or null for a type this library does not know. */
    public ProgramType type() {
        return type;
    }

    /** The device the program was bound to at load, when it was. */
    public Optional<OffloadDevice> boundDevice() {
        return Optional.ofNullable(boundTo);
    }

    /**
     * The program's file descriptor, valid while the program (or its object) is open. Another thread may
     * close the program right after this returns, and the number may then name another kernel object:
     * code that makes its own system calls on the fd while other threads may close the program
     * brackets them with {@link #acquireFd()} and {@link #releaseFd()} instead.
     *
     * @throws IllegalStateException when closed
     */
    public int fd() {
        return fd.get();
    }

    /**
     * Starts a call on the program's file descriptor and returns it: until the matching
     * {@link #releaseFd()}, closing the program (or its object) waits, so the fd stays this program's.
     * Pair every call with one {@code releaseFd()} in a {@code finally}, on the same handle, and
     * do not close the program in between. Allocation-free.
     *
     * @throws IllegalStateException when closed
     */
    public int acquireFd() {
        return fd.acquire();
    }

    /** Ends a call started by {@link #acquireFd()}. */
    public void releaseFd() {
        fd.release();
    }

    /** Reads the program's info from the kernel. */
    public ProgramInfo info() {
        return fd.call(InfoReader::programInfo);
    }

    /** The kernel's id for this program. */
    public int id() {
        return info().id();
    }

    /** The raw JIT image (for an NFP-offloaded program: the NFP code words); empty when none (netdevsim). */
    public byte[] jitedImage() {
        return fd.call(InfoReader::jitedImage);
    }

    /**
     * The device image of a device-bound program, for disassembly: a
     * {@link dev.nicoffload.jit.image.JitImage} when the device's JIT produced one (NFP), a
     * {@link dev.nicoffload.jit.image.NoJitImage} when the device keeps none (netdevsim).
     *
     * @throws IllegalStateException when the program is not bound to a device (its JIT image is host code)
     */
    public ProgramImage deviceImage() {
        ProgramInfo info = info();
        if (!info.deviceBound()) {
            throw new IllegalStateException("program '" + name + "' is not bound to a device: its JIT image is host code");
        }
        try {
            return ProgramImage.fromProgInfo(info.jitedLength(), jitedImage());
        } catch (NfpFormatException e) {
            throw new UncheckedIOException("the kernel returned a malformed device image for program '" + name + "'", e);
        }
    }

    /**
     * Attaches this XDP program to {@code device} in {@code mode}, failing if a program is already
     * attached in that mode (XDP_FLAGS_UPDATE_IF_NOEXIST).
     */
    public XdpAttachment attachXdp(OffloadDevice device, XdpMode mode) {
        return attachXdp(device, mode, XdpPolicy.IF_NOT_EXIST);
    }

    /** Attaches this XDP program to {@code device} in {@code mode} with the given replace policy. */
    public XdpAttachment attachXdp(OffloadDevice device, XdpMode mode, XdpPolicy policy) {
        return Xdp.attach(this, device, mode, policy, null);
    }

    /** Replaces {@code expected} (which must be the program attached in {@code mode} now) by this program. */
    public XdpAttachment replaceXdp(OffloadDevice device, XdpMode mode, Program expected) {
        Objects.requireNonNull(expected, "expected");
        return Xdp.attach(this, device, mode, XdpPolicy.REPLACE, expected);
    }

    /** Attaches this SCHED_CLS program as a cls_bpf filter on {@code device}; see {@link Tc#attach}. */
    public TcAttachment attachTc(OffloadDevice device, TcOptions options) {
        return Tc.attach(this, device, options);
    }

    /**
     * Pins the program at {@code path} (in a bpffs mount). Every directory on the way that lies on
     * bpffs must belong to the caller or root and must not be writable by group or others (a sticky
     * root-owned directory such as the bpffs root is fine), so that nobody else can replace the pin.
     *
     * @throws IllegalArgumentException when {@code path} is not absolute, not on bpffs, or a directory on it fails that rule
     */
    public void pin(Path path) {
        fd.call(f -> {
            Pins.pin(f, path, "program " + name);
            return null;
        });
    }

    /** True once this program (or the object owning it) is closed. */
    public boolean isClosed() {
        return fd.isClosed();
    }

    /**
     * Closes a program opened with {@link #openPinned}; for a program of a {@link LoadedObject}
     * this does nothing (the object owns it).
     */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "Program[" + name + ", " + type + (boundTo == null ? "" : ", bound to " + boundTo.name()) + "]";
    }

}
