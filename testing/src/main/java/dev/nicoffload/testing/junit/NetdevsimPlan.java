package dev.nicoffload.testing.junit;

import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Notes, when a test run starts on the host, every top-level {@link NetdevsimTest} class of its
 * test plan, so that {@link NetdevsimExtension} runs them all in one guest JVM the first time one
 * of them is reached. Registered with the JUnit Platform through {@code META-INF/services}; does
 * nothing in the guest.
 */
public final class NetdevsimPlan implements TestExecutionListener {
    private static volatile List<String> planned = List.of();

    /** Creates the listener (the JUnit Platform does, through the service loader). */
    public NetdevsimPlan() {
    }

    @Override
    public void testPlanExecutionStarted(TestPlan plan) {
        if (NetdevsimExtension.inGuest()) {
            return;
        }
        List<String> classes = new ArrayList<>();
        for (TestIdentifier root : plan.getRoots()) {
            for (TestIdentifier id : plan.getChildren(root)) { // the classes selected, not their @Nested ones
                TestSource source = id.getSource().orElse(null);
                if (source instanceof ClassSource cs && !classes.contains(cs.getClassName()) && annotated(cs)) {
                    classes.add(cs.getClassName());
                }
            }
        }
        planned = List.copyOf(classes);
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        planned = List.of();
    }

    /** The top-level {@code @NetdevsimTest} classes of the run in progress, in plan order. */
    static List<String> planned() {
        return planned;
    }

    private static boolean annotated(ClassSource source) {
        try {
            Class<?> c = source.getJavaClass();
            return c.isAnnotationPresent(NetdevsimTest.class);
        } catch (RuntimeException | LinkageError e) {
            return false; // not loadable here: JUnit reports that class itself
        }
    }
}
