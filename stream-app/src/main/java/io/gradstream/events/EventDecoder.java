package io.gradstream.events;

/**
 * Turns one Kafka record value into event fields. The fields (x included) hold until the next
 * call: a decoder may fill the same x array again.
 */
public interface EventDecoder {
  void decode(byte[] value, EventFields into) throws UndecodableEventException;
}
