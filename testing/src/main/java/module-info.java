/**
 * Test kit: boots the netdevsim/nfpsim test kernel under QEMU and runs commands in it
 * ({@code dev.nicoffload.testing.vm}), runs JUnit tests inside one guest boot
 * ({@code dev.nicoffload.testing.junit}), and drives netdevsim devices, ports and debugfs knobs
 * from inside the guest ({@code dev.nicoffload.testing.netdevsim}).
 */
module dev.nicoffload.testing {
    requires java.xml;
    requires org.junit.jupiter.api;
    requires org.junit.platform.launcher;

    exports dev.nicoffload.testing.vm;
    exports dev.nicoffload.testing.junit;
    exports dev.nicoffload.testing.netdevsim;

    provides org.junit.platform.launcher.TestExecutionListener with dev.nicoffload.testing.junit.NetdevsimPlan;
}
