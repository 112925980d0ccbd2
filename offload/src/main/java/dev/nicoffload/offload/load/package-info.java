/** Loading BPF objects bound to a device or on the host, and the live program and map handles. */
package dev.nicoffload.offload.load;
