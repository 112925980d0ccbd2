/** Implementation details shared by nicoffload's modules: native handle lifecycle, info reading, errno mapping. */
package dev.nicoffload.offload.internal;
