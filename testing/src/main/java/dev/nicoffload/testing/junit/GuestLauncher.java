package dev.nicoffload.testing.junit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Runs selected test classes with the JUnit Platform inside the guest and records every test's
 * outcome by unique id, for {@link NetdevsimExtension} on the host to replay.
 * Usage: {@code GuestLauncher RESULT_FILE CLASS...}; {@code GuestLauncher --train} only starts the
 * JUnit Platform and its engines, discovering nothing (the host's training run for {@link GuestAotCache}).
 */
public final class GuestLauncher {
    private GuestLauncher() {
    }

    /** Entry point in the guest; exits 0 when the run itself worked (test failures are recorded, not fatal). */
    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("--train")) {
            LauncherFactory.create().discover(LauncherDiscoveryRequestBuilder.request()
                    .selectors(DiscoverySelectors.selectPackage(GuestLauncher.class.getPackageName())).build());
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: GuestLauncher RESULT_FILE CLASS...");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        List<DiscoverySelector> selectors = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            selectors.add(DiscoverySelectors.selectClass(args[i]));
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectors).build();
        Launcher launcher = LauncherFactory.create();
        try (Writer out = Files.newBufferedWriter(results, StandardCharsets.UTF_8)) {
            launcher.execute(request, new Recorder(out));
        }
    }

    /** Writes one line per finished or skipped test. */
    private static final class Recorder implements TestExecutionListener {
        private final Writer out;

        Recorder(Writer out) {
            this.out = out;
        }

        @Override
        public void executionSkipped(TestIdentifier id, String reason) {
            write(new ResultFile.Entry(GuestTestResult.Outcome.SKIPPED, id.getUniqueId(), reason == null ? "" : reason, ""));
        }

        @Override
        public void executionFinished(TestIdentifier id, TestExecutionResult result) {
            if (!id.isTest() && result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
                return;
            }
            GuestTestResult.Outcome outcome = switch (result.getStatus()) {
                case SUCCESSFUL -> GuestTestResult.Outcome.PASSED;
                case ABORTED -> GuestTestResult.Outcome.SKIPPED;
                case FAILED -> result.getThrowable().map(t -> t instanceof AssertionError).orElse(false)
                        ? GuestTestResult.Outcome.FAILED : GuestTestResult.Outcome.ERROR;
            };
            String message = result.getThrowable().map(t -> t.getClass().getName() + ": " + t.getMessage()).orElse("");
            String detail = result.getThrowable().map(t -> {
                StringWriter s = new StringWriter();
                t.printStackTrace(new PrintWriter(s));
                return s.toString();
            }).orElse("");
            write(new ResultFile.Entry(outcome, id.getUniqueId(), message, detail));
        }

        private void write(ResultFile.Entry e) {
            try {
                out.write(ResultFile.line(e));
                out.flush();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
    }
}
