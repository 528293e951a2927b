package io.gradstream.avro;

/**
 * What opens each Avro datum a topic carries, before its binary body: the header that names the
 * writer schema. gradstream's own framing is Avro's single-object encoding (the marker and the
 * schema's fingerprint); a Schema Registry's is a zero byte and the schema's 4-byte id there.
 */
@FunctionalInterface
public interface Framing {
  /** Avro's single-object encoding: {@code C3 01} and the 8-byte fingerprint, little-endian. */
  Framing SINGLE_OBJECT = AvroValues::singleObjectHeader;

  /**
   * The header of a datum written with the schema whose fingerprint is {@code fingerprint}.
   *
   * @throws IllegalArgumentException when this framing knows no such schema
   */
  byte[] header(long fingerprint);
}
