/** Network devices programs can be bound to: resolution by name or index, driver, offload probe, sibling ports. */
package dev.nicoffload.offload.device;
