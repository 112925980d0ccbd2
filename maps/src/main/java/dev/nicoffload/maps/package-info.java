/**
 * Typed access to BPF maps offloaded to a NIC (or on the host): {@link dev.nicoffload.maps.OffloadMap}
 * with lookup, update modes, delete, get-next-key iteration and bounded dumps, all-or-nothing
 * {@code writeAll}, the atomic-counter view {@link dev.nicoffload.maps.AtomicCounters} and the
 * allocation-free {@link dev.nicoffload.maps.NumericMap}. Failures are the typed exceptions of
 * {@code dev.nicoffload.offload.error}.
 */
package dev.nicoffload.maps;
