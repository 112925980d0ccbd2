/** XDP attach in HW, DRV and SKB modes, per-mode query and detach. */
package dev.nicoffload.offload.xdp;
