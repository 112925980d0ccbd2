package dev.nicoffload.jit.image;

import dev.nicoffload.jit.NfpFormatException;
import java.util.Arrays;

/**
 * What the kernel reports as an offloaded program's device image: either a {@link JitImage} (the
 * NFP JIT produced one) or {@link NoJitImage} (the device keeps none, as netdevsim, which reports
 * a jited length of 0).
 */
public sealed interface ProgramImage permits JitImage, NoJitImage {

    /**
     * Interprets the {@code jited_prog_len} / {@code jited_prog_insns} pair of
     * {@code struct bpf_prog_info}.
     *
     * @param jitedProgLen the length the kernel reported
     * @param jitedProgInsns the bytes it copied (at least {@code jitedProgLen} of them)
     * @throws NfpFormatException if fewer bytes than reported are present or the length is not a
     *     whole number of 64-bit words
     */
    static ProgramImage fromProgInfo(long jitedProgLen, byte[] jitedProgInsns) throws NfpFormatException {
        if (jitedProgLen == 0) {
            return NoJitImage.NETDEVSIM;
        }
        if (jitedProgLen < 0 || jitedProgLen > Integer.MAX_VALUE) {
            throw new NfpFormatException("implausible jited_prog_len " + jitedProgLen);
        }
        if (jitedProgInsns == null || jitedProgInsns.length < jitedProgLen) {
            throw new NfpFormatException("truncated image: jited_prog_len is " + jitedProgLen + " bytes but only "
                    + (jitedProgInsns == null ? 0 : jitedProgInsns.length) + " were copied");
        }
        return JitImage.of(Arrays.copyOf(jitedProgInsns, (int) jitedProgLen));
    }
}
