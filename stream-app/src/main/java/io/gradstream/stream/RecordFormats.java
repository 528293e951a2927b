package io.gradstream.stream;

import io.gradstream.events.AvroEventDecoder;
import io.gradstream.events.EventDecoder;
import io.gradstream.events.JsonEventDecoder;
import io.gradstream.events.RegistryEventDecoder;
import io.gradstream.registry.WriterSchemas;
import java.util.function.Supplier;

/**
 * How the stream reads its events and frames what it writes.
 *
 * @param decoders a new decoder for each stream task's processor (decoders keep state)
 */
public record RecordFormats(Supplier<EventDecoder> decoders, OutputFraming framing) {
  /** Events in {@code format}, which is not registry-framed; records out in single-object. */
  public static RecordFormats of(final InputFormat format) {
    return of(format, null, OutputFraming.SINGLE_OBJECT);
  }

  /** @param schemas the registry's writer schemas, for registry-framed events (else unused) */
  public static RecordFormats of(final InputFormat format, final WriterSchemas schemas,
      final OutputFraming framing) {
    return new RecordFormats(switch (format) {
      case AVRO -> AvroEventDecoder::new;
      case JSON -> JsonEventDecoder::new;
      case AVRO_REGISTRY -> {
        if (schemas == null) {
          throw new IllegalArgumentException("registry-framed events need a schema registry");
        }
        yield () -> new RegistryEventDecoder(schemas);
      }
    }, framing);
  }
}
