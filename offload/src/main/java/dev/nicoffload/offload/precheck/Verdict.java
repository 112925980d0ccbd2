package dev.nicoffload.offload.precheck;

/** The pre-checker's overall answer for one program. */
public enum Verdict {
    /** No finding stops the offload (warnings may remain). */
    OFFLOADABLE,
    /** At least one finding makes the load or attach fail. */
    NOT_OFFLOADABLE
}
