package io.gradstream.events;

/** Turns one Kafka record value into event fields. */
public interface EventDecoder {
  void decode(byte[] value, EventFields into) throws UndecodableEventException;
}
