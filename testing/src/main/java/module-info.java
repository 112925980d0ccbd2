/** Test kit: the netdevsim/nfpsim VM under QEMU and the netdevsim device fixture. */
module dev.nicoffload.testing {
}
