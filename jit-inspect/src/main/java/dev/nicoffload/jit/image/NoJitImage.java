package dev.nicoffload.jit.image;

/**
 * The device keeps no JIT image for the program, so there is nothing to disassemble.
 *
 * @param reason why, in words for a user
 */
public record NoJitImage(String reason) implements ProgramImage {
    /** netdevsim accepts offloaded programs but never translates them: jited length 0. */
    public static final NoJitImage NETDEVSIM = new NoJitImage("device keeps no image (netdevsim: jited length 0)");

    @Override
    public String toString() {
        return reason;
    }
}
