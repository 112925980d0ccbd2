/** Program and map information read back from the kernel, and listings of everything loaded. */
package dev.nicoffload.offload.info;
