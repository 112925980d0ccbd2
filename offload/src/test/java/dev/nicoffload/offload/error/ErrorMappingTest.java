package dev.nicoffload.offload.error;

import dev.nicoffload.offload.internal.Errors;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** errno (plus extack / verifier log) → exception type, and what the exception carries. */
class ErrorMappingTest {

    @Test
    void commonErrnosMapToTheirTypes() {
        assertInstanceOf(DeviceGoneException.class, Errors.of("get program info", 19));
        assertInstanceOf(PermissionDeniedException.class, Errors.of("open program id 3", 1));
        assertInstanceOf(NotSupportedException.class, Errors.of("create map", 95));
        assertInstanceOf(NotSupportedException.class, Errors.of("test run", 524));
        assertInstanceOf(BpfOperationException.class, Errors.of("create map", 12));
    }

    @Test
    void libbpfsOwnCodesAreNamedAndExplained() {
        // bpf_object__open_mem answers -LIBBPF_ERRNO__FORMAT (4001) for an object it cannot parse
        OffloadException e = Errors.of(Failure.of("open BPF object 'x'", 4001), Errors.CAP_LOAD);
        assertEquals("open BPF object 'x' failed: LIBBPF_ERRNO__FORMAT (libbpf: invalid BPF object format)", e.getMessage());
        assertEquals("LIBBPF_ERRNO__FORMAT", e.errnoName());
    }

    @Test
    void permissionNamesTheCapability() {
        PermissionDeniedException e = (PermissionDeniedException) Errors.of(Failure.of("create map 'htab' on eth1", 1),
                Errors.CAP_SYS_ADMIN);
        assertEquals("CAP_SYS_ADMIN", e.capability());
        assertTrue(e.getMessage().contains("needs CAP_SYS_ADMIN"), e.getMessage());
        assertEquals("EPERM", e.errnoName());
    }

    @Test
    void loadWithVerifierLogIsAVerifierRejection() {
        OffloadException e = Errors.load("load program 'p' bound to eth1", 95, "[netdevsim] Hello from netdevsim!\n");
        VerifierRejectedException v = assertInstanceOf(VerifierRejectedException.class, e);
        assertEquals(95, v.errno());
        assertEquals("EOPNOTSUPP", v.errnoName());
        assertEquals("[netdevsim] Hello from netdevsim!\n", v.verifierLog().orElseThrow());
        assertTrue(v.getMessage().contains("verifier log:\n[netdevsim] Hello from netdevsim!"), v.getMessage());
        assertTrue(v.extack().isEmpty());
    }

    @Test
    void loadWithoutLogFollowsTheErrno() {
        assertInstanceOf(NotSupportedException.class, Errors.load("load", 95, null));
        assertInstanceOf(NotSupportedException.class, Errors.load("load", 95, "  \n"));
        assertInstanceOf(DeviceGoneException.class, Errors.load("load", 19, "anything"));
        assertInstanceOf(PermissionDeniedException.class, Errors.load("load", 1, null));
        assertInstanceOf(BpfOperationException.class, Errors.load("load", 22, null));
    }

    @Test
    void aLogWithOnlyStatisticsIsNoVerifierFinding() {
        String statsOnly = "processed 0 insns (limit 1000000) max_states_per_insn 0 total_states 0 peak_states 0 mark_read 0\n";
        OffloadException e = Errors.load("load", 95, statsOnly);
        assertInstanceOf(NotSupportedException.class, e);
        assertEquals(statsOnly, e.verifierLog().orElseThrow(), "the log is still reported");
        assertTrue(Errors.hasFindings("0: R1=ctx() R10=fp0\n0: (b7) r0 = 2\nprocessed 1 insns\n"));
    }

    @Test
    void attachFailuresCarryTheExtack() {
        OffloadException e = Errors.attach("attach XDP program 'p' to eth2 in HW mode", 22,
                "netdevsim: program bound to different dev");
        AttachRejectedException a = assertInstanceOf(AttachRejectedException.class, e);
        assertEquals("netdevsim: program bound to different dev", a.extack().orElseThrow());
        assertEquals("attach XDP program 'p' to eth2 in HW mode", a.operation());
        assertEquals("attach XDP program 'p' to eth2 in HW mode failed: EINVAL (Invalid argument): "
                + "netdevsim: program bound to different dev", a.getMessage());
        assertInstanceOf(DeviceGoneException.class, Errors.attach("attach", 19, null));
        assertEquals(Errors.CAP_NET_ADMIN,
                assertInstanceOf(PermissionDeniedException.class, Errors.attach("attach", 1, null)).capability());
    }

    @Test
    void notCapableNamesTheDevice() {
        DeviceNotOffloadCapableException e = assertInstanceOf(DeviceNotOffloadCapableException.class,
                Errors.notCapable("load program 'p' bound to lo", 95, "lo"));
        assertEquals("lo", e.device());
        assertTrue(e.getMessage().startsWith("lo cannot offload BPF programs: load program 'p' bound to lo failed: EOPNOTSUPP"),
                e.getMessage());
    }

    @Test
    void failureRefusesMeaninglessFacts() {
        assertThrows(IllegalArgumentException.class, () -> Failure.of("", 1));
        assertThrows(IllegalArgumentException.class, () -> Failure.of("op", 0));
        assertThrows(IllegalArgumentException.class, () -> Failure.of("op", -22));
    }
}
