/** Codecs between Java values and the bytes of map keys and values: numbers, raw bytes, C-struct records. */
package dev.nicoffload.maps.codec;
