package io.gradstream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.avro.AvroSafety;
import io.gradstream.avro.ModelState;
import io.gradstream.avro.ReleasedSchemas;
import io.gradstream.learn.Model;
import org.junit.jupiter.api.Test;

class ModelSerdeTest {
  private final ModelSerde serde = ModelSerde.reader();

  @Test
  void roundTripKeepsEveryBit() {
    final Model model = new Model(new double[] {0.1, -0.0, Double.MIN_VALUE, 1e308}, true,
        -3.3e-7, 42, 0.123456789012345678);
    final Model back = serde.fromBytes(serde.toBytes(model));
    assertThat(back.weights()).containsExactly(model.weights());
    assertThat(Double.doubleToRawLongBits(back.weights()[1])).isEqualTo(Long.MIN_VALUE);
    assertThat(back.hasBias()).isTrue();
    assertThat(back.bias()).isEqualTo(-3.3e-7);
    assertThat(back.count()).isEqualTo(42);
    assertThat(back.lossSum()).isEqualTo(0.123456789012345678);
  }

  @Test
  void storedBytesAreAModelStateInAvroSingleObjectEncoding() throws Exception {
    AvroSafety.install();
    final byte[] bytes = serde.toBytes(new Model(new double[] {1.5, 2.5}, false, 0, 3, 0.75));
    assertThat(bytes[0]).isEqualTo((byte) 0xC3);
    assertThat(bytes[1]).isEqualTo((byte) 0x01);
    final ModelState state = ReleasedSchemas.modelStates().decode(bytes);
    assertThat(state.getWeights()).containsExactly(1.5, 2.5);
    assertThat(state.getBias()).isNull();
    assertThat(state.getCount()).isEqualTo(3);
    assertThat(state.getLossSum()).isEqualTo(0.75);
    assertThat(state.getOptimizerState()).isEmpty();
  }
}
