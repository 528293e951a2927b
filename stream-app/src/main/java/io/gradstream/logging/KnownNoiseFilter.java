package io.gradstream.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops a Kafka Streams 4.x start-up warning about {@code
 * processing.exception.handler.global.enabled}: gradstream has no global store, so the setting
 * changes nothing for it, and Kafka's consumer raises the warning from an internal config copy even
 * when the setting is given.
 */
public final class KnownNoiseFilter extends Filter<ILoggingEvent> {
  private static final String GLOBAL_HANDLER_WARNING =
      "Processing exception handler is not enabled for the GlobalThread";

  @Override
  public FilterReply decide(final ILoggingEvent event) {
    final String message = event.getMessage();
    return message != null && message.startsWith(GLOBAL_HANDLER_WARNING)
        ? FilterReply.DENY : FilterReply.NEUTRAL;
  }
}
