package io.gradstream.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops a Kafka Streams 4.x start-up warning that its consumer's internal config copy raises even
 * when {@code processing.exception.handler.global.enabled} is set (gradstream sets it), so that an
 * operator is not told to fix what is already fixed.
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
