package dev.nicoffload.testing.vm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a command run in the guest ended.
 *
 * @param exitStatus  the command's exit status (0-255) as reported by the guest
 * @param bootTime    from starting QEMU to the guest starting the command
 * @param commandTime from the guest starting the command to QEMU exiting
 * @param runDirectory the host directory shared writable with the guest (console log, results)
 */
public record VmResult(int exitStatus, Duration bootTime, Duration commandTime, Path runDirectory) {
    /** The guest console log of this run. */
    public Path consoleLog() {
        return runDirectory.resolve("console.log");
    }

    /** Whether the command exited with status 0. */
    public boolean succeeded() {
        return exitStatus == 0;
    }
}
