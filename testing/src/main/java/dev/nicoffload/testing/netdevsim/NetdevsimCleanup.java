package dev.nicoffload.testing.netdevsim;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that removes, after each test, every netdevsim device the test created and
 * did not close, so a failing test leaves no device behind for the next one:
 * {@code @ExtendWith(NetdevsimCleanup.class)}.
 */
public final class NetdevsimCleanup implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
        for (NetdevsimDevice device : NetdevsimDevice.openDevices()) {
            device.close();
        }
    }
}
