package dev.nicoffload.testing.junit;

import dev.nicoffload.testing.netdevsim.NetdevsimDevice;
import dev.nicoffload.testing.netdevsim.NetdevsimPort;
import dev.nicoffload.testing.vm.KernelImage;
import dev.nicoffload.testing.vm.NetdevsimVm;
import dev.nicoffload.testing.vm.VmException;
import dev.nicoffload.testing.vm.VmOptions;
import dev.nicoffload.testing.vm.VmResult;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The extension behind {@link NetdevsimTest}. On the host it runs the class in the shared guest
 * and replays each test's outcome instead of running it; in the guest it lets the tests run and
 * injects netdevsim devices. The first annotated class reached runs in one guest JVM together with
 * every other annotated class of the run ({@link NetdevsimPlan}), so later classes cost no JVM start.
 */
public final class NetdevsimExtension implements BeforeAllCallback, InvocationInterceptor, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NetdevsimExtension.class);
    /**
     * The guest test JVM's options: C1 only, compiling only 10x hotter code, and the serial GC (cheapest under
     * software emulation, where the compiler threads take turns with the tests on one host thread).
     */
    private static final List<String> GUEST_JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:CompileThresholdScaling=10", "-XX:+UseSerialGC",
            "--enable-native-access=ALL-UNNAMED");

    static boolean inGuest() {
        return System.getenv("NICOFFLOAD_IN_GUEST") != null;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (inGuest()) {
            return;
        }
        Class<?> testClass = context.getRequiredTestClass();
        NetdevsimTest settings = settings(context);
        SharedVm shared = context.getRoot().getStore(NS).getOrComputeIfAbsent(SharedVm.class, k -> new SharedVm(), SharedVm.class);
        Map<String, ResultFile.Entry> results = shared.runClass(testClass, Duration.ofSeconds(settings.timeoutSeconds()));
        context.getStore(NS).put("results", results);
        // a failure of the class itself in the guest (e.g. in @BeforeAll) fails every test here
        ResultFile.Entry classEntry = results.get(context.getUniqueId());
        if (classEntry != null && classEntry.outcome() != GuestTestResult.Outcome.PASSED) {
            replay(classEntry);
        }
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runOrReplay(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        runOrReplay(invocation, context);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        if (inGuest()) {
            return invocation.proceed();
        }
        invocation.skip();
        // dynamic tests cannot be replayed one by one: the factory fails here when any of its guest tests failed
        Map<String, ResultFile.Entry> results = results(context);
        List<String> failures = results.values().stream().filter(e -> e.uniqueId().startsWith(context.getUniqueId()))
                .filter(e -> e.outcome() == GuestTestResult.Outcome.FAILED || e.outcome() == GuestTestResult.Outcome.ERROR)
                .map(e -> e.uniqueId() + ": " + e.message()).toList();
        if (!failures.isEmpty()) {
            throw new AssertionFailedError("[in guest] dynamic tests failed:\n" + String.join("\n", failures));
        }
        throw new TestAbortedException("dynamic tests ran in the guest: " + results.keySet().stream()
                .filter(k -> k.startsWith(context.getUniqueId())).count() + " passed there");
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        proceedInGuestOnly(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        proceedInGuestOnly(invocation);
    }

    @Override
    public void interceptAfterEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        proceedInGuestOnly(invocation);
    }

    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
        proceedInGuestOnly(invocation);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == NetdevsimDevice.class || type == NetdevsimPort.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (!inGuest()) {
            return null; // the test does not run here: its outcome is replayed from the guest
        }
        NetdevsimDevice device = context.getStore(NS).getOrComputeIfAbsent("device",
                k -> new ClosingDevice(NetdevsimDevice.create(settings(context).ports())), ClosingDevice.class).device();
        return parameter.getParameter().getType() == NetdevsimPort.class ? device.port(0) : device;
    }

    private static void proceedInGuestOnly(Invocation<Void> invocation) throws Throwable {
        if (inGuest()) {
            invocation.proceed();
        } else {
            invocation.skip();
        }
    }

    private static void runOrReplay(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        if (inGuest()) {
            invocation.proceed();
            return;
        }
        invocation.skip();
        ResultFile.Entry e = results(context).get(context.getUniqueId());
        if (e == null) {
            throw new AssertionFailedError("the guest did not report " + context.getUniqueId());
        }
        replay(e);
    }

    private static void replay(ResultFile.Entry e) {
        switch (e.outcome()) {
            case PASSED -> { }
            case SKIPPED -> throw new TestAbortedException("skipped in the guest: " + e.message());
            case FAILED, ERROR -> throw new AssertionFailedError("[in guest] " + e.message() + "\n" + e.detail());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ResultFile.Entry> results(ExtensionContext context) {
        Map<String, ResultFile.Entry> r = (Map<String, ResultFile.Entry>) context.getStore(NS).get("results", Map.class);
        if (r == null) {
            throw new IllegalStateException("no guest results for " + context.getUniqueId());
        }
        return r;
    }

    private static NetdevsimTest settings(ExtensionContext context) {
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            NetdevsimTest t = c.getAnnotation(NetdevsimTest.class);
            if (t != null) {
                return t;
            }
        }
        throw new IllegalStateException("@NetdevsimTest missing on " + context.getRequiredTestClass());
    }

    /** A per-test device, removed when JUnit closes the test's store. */
    private record ClosingDevice(NetdevsimDevice device) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            device.close();
        }
    }

    /** The guest shared by every annotated class of this test run; powered off when the run ends. */
    private static final class SharedVm implements ExtensionContext.Store.CloseableResource {
        private final NetdevsimVm vm;
        private final VmException bootFailure;
        private final List<String> classPath;
        private final Map<String, ResultFile.Entry> results = new java.util.HashMap<>();
        private final Map<String, String> failures = new java.util.HashMap<>();
        private final Set<String> ran = new java.util.HashSet<>();
        private int jvms;

        SharedVm() {
            classPath = GuestAotCache.jarsFirst(testClassPath());
            NetdevsimVm started = null;
            VmException failure = null;
            try {
                started = NetdevsimVm.start(options(classPath));
            } catch (VmException e) {
                failure = e;
            }
            vm = started;
            bootFailure = failure;
        }

        /**
         * The guest's results for {@code testClass}: the first class reached runs, in one guest JVM,
         * together with every other {@code @NetdevsimTest} class of the run's test plan
         * ({@link NetdevsimPlan}); later classes find their results here.
         */
        synchronized Map<String, ResultFile.Entry> runClass(Class<?> testClass, Duration timeout) throws IOException {
            if (bootFailure != null) {
                throw new VmException("@NetdevsimTest could not boot the test guest: " + bootFailure.getMessage());
            }
            String name = testClass.getName();
            if (!ran.contains(name)) {
                List<String> batch = new ArrayList<>(List.of(name));
                Duration limit = timeout;
                for (String other : NetdevsimPlan.planned()) {
                    if (!ran.contains(other) && !batch.contains(other)) {
                        batch.add(other);
                        limit = limit.plus(timeoutOf(other, testClass.getClassLoader()));
                    }
                }
                runBatch(batch, limit);
            }
            String failure = failures.get(name);
            if (failure != null) {
                throw new VmException(failure);
            }
            return java.util.Collections.unmodifiableMap(results);
        }

        private void runBatch(List<String> classes, Duration timeout) throws IOException {
            ran.addAll(classes);
            Path file = vm.runDirectory().resolve("junit").resolve("jvm-" + (++jvms) + ".results");
            Files.createDirectories(file.getParent());
            List<String> jvmOptions = new ArrayList<>(GUEST_JVM_OPTIONS);
            String extra = System.getProperty("nicoffload.guest.jvmArgs", "");
            if (!extra.isBlank()) {
                jvmOptions.addAll(List.of(extra.trim().split("\\s+")));
            }
            List<String> argv = new ArrayList<>();
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.addAll(jvmOptions);
            argv.addAll(GuestAotCache.options(jvmOptions, classPath, GuestLauncher.class.getName(), List.of("--train")));
            argv.add("-Xlog:aot=info,cds=info:file=" + vm.runDirectory().resolve("junit").resolve("jvm-" + jvms + "-aot.log") + ":uptime");
            argv.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), GuestLauncher.class.getName(), file.toString()));
            argv.addAll(classes);
            String script = "exec " + argv.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").collect(Collectors.joining(" ")) + "\n";
            VmResult r = vm.execScript(script, Path.of("").toAbsolutePath(), System.out, System.err, timeout);
            Map<String, ResultFile.Entry> entries = ResultFile.read(file);
            results.putAll(entries);
            if (r.exitStatus() != 0 && entries.isEmpty()) {
                for (String c : classes) {
                    failures.put(c, "the guest JVM for " + String.join(", ", classes) + " ended with status " + r.exitStatus()
                            + " before running any test (console log: " + vm.consoleLog() + ")");
                }
            }
        }

        private static Duration timeoutOf(String className, ClassLoader loader) {
            try {
                NetdevsimTest t = Class.forName(className, false, loader).getAnnotation(NetdevsimTest.class);
                return Duration.ofSeconds(t == null ? 0 : t.timeoutSeconds());
            } catch (ClassNotFoundException | LinkageError e) {
                return Duration.ZERO;
            }
        }

        @Override
        public void close() {
            if (vm != null) {
                vm.close();
            }
        }

        private static VmOptions options(List<String> classPath) {
            VmOptions options = VmOptions.defaults().withShare(Path.of("").toAbsolutePath());
            options = KernelImage.sharedDirectory().map(options::withShare).orElse(options);
            Set<Path> hidden = new LinkedHashSet<>();
            for (String entry : classPath) {
                Path p = Path.of(entry).toAbsolutePath().normalize();
                if (p.startsWith("/tmp")) {
                    hidden.add(Files.isDirectory(p) ? p : p.getParent());
                }
            }
            for (Path p : hidden) {
                options = options.withShare(p);
            }
            return options;
        }

        private static List<String> testClassPath() {
            List<String> entries = new ArrayList<>();
            for (String property : List.of("surefire.test.class.path", "java.class.path", "jdk.module.path")) {
                String value = System.getProperty(property);
                if (value == null) {
                    continue;
                }
                for (String e : value.split(File.pathSeparator)) {
                    if (!e.isBlank() && !e.contains("surefirebooter") && !entries.contains(e)) {
                        entries.add(Path.of(e).toAbsolutePath().toString());
                    }
                }
                if (property.startsWith("surefire")) {
                    break; // Surefire's own view is complete
                }
            }
            return entries;
        }
    }
}
