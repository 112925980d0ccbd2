/**
 * JDK Flight Recorder events for nicoffload's kernel operations, and the log lines that go with them.
 *
 * <p>Every load ({@code dev.nicoffload.Load}), attach ({@code dev.nicoffload.Attach}), detach
 * ({@code dev.nicoffload.Detach}) and map batch operation ({@code dev.nicoffload.MapBatch}) is one
 * event whose duration is the operation's, with its outcome ({@code ok} or the exception's simple
 * class name) and errno (0 on success). They cost nothing unless a recording enables them:
 * <pre>{@code
 * java -XX:StartFlightRecording:filename=offload.jfr ...
 * jfr print --events dev.nicoffload.Load offload.jfr
 * }</pre>
 * or, in-process, {@code jdk.jfr.consumer.RecordingStream} with {@code enable("dev.nicoffload.Load")}.
 *
 * <p>The same operations log through {@link java.lang.System.Logger} (no logging framework is
 * required; the JDK routes it to {@code java.util.logging} or to whatever {@code System.LoggerFinder}
 * the application installs) at {@code DEBUG}, under the logger names {@code dev.nicoffload.offload.load},
 * {@code dev.nicoffload.offload.xdp}, {@code dev.nicoffload.offload.tc} and {@code dev.nicoffload.maps}.
 *
 * <p>The event classes are public so that their names and fields are documented and other
 * nicoffload modules can emit them; applications only consume them.
 */
package dev.nicoffload.offload.event;
