package dev.nicoffload.guestrun;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Notes the guest's uptime when the first test starts (the "boot to first test" figure), in the
 * run directory. Registered through META-INF/services; does nothing outside the guest.
 */
public final class FirstTestClock implements TestExecutionListener {
    private final AtomicBoolean noted = new AtomicBoolean();

    @Override
    public void executionStarted(TestIdentifier id) {
        String runDir = System.getenv("NICOFFLOAD_RUN_DIR");
        if (runDir == null || !id.isTest() || !noted.compareAndSet(false, true)) {
            return;
        }
        try {
            String uptime = Files.readString(Path.of("/proc/uptime")).split(" ")[0];
            Files.writeString(Path.of(runDir, "first-test-uptime"), uptime + "\n");
        } catch (IOException e) {
            // a figure only: the tests themselves are unaffected
        }
    }

    @Override
    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
        // only the start of the first test matters
    }
}
