package dev.nicoffload.testing.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated JUnit 5 test class inside the netdevsim/nfpsim test guest, as root, and
 * reports each of its tests as an ordinary result of the host's test run: the Testcontainers of
 * BPF offload. One guest boots per test run and serves every annotated class (one guest JVM per
 * class); it powers off when the run ends.
 *
 * <p>Test methods may declare a {@link dev.nicoffload.testing.netdevsim.NetdevsimDevice} parameter
 * (a fresh device with {@link #ports()} ports, removed after the test) and/or a
 * {@link dev.nicoffload.testing.netdevsim.NetdevsimPort} parameter (its port 0); knobs are set
 * through them.
 *
 * <pre>{@code
 * @NetdevsimTest(ports = 2)
 * class MyOffloadTest {
 *     @Test
 *     void offloads(NetdevsimDevice dev) { ... NicOffload.load(..., LoadOptions.offloadTo(NicOffload.device(dev.port(0).name()))) ... }
 * }
 * }</pre>
 *
 * <p>Needs {@code qemu-system-x86_64} and the test kernel (see
 * {@link dev.nicoffload.testing.vm.KernelImage}; built on first use when missing). The test class
 * path must be readable in the guest: the host root is shared read-only, and directories under the
 * host's {@code /tmp} are shared explicitly.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(NetdevsimExtension.class)
public @interface NetdevsimTest {
    /** Ports of the device injected into each test (1 to 16). */
    int ports() default 1;

    /** Upper bound, in seconds, for running the class in the guest. */
    long timeoutSeconds() default 1200;
}
