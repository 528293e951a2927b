package io.gradstream.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.gradstream.learn.Activation;
import io.gradstream.learn.ModelAssert;
import io.gradstream.learn.ModelSpec;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad rows of every kind change nothing: the models are those of the valid rows alone. */
class FaultyFileReplayTest {
  @Test
  void everyKindOfBadRowIsCountedAndTheModelsAreThoseOfTheValidRowsAlone() throws Exception {
    final ModelSpec spec = new ModelSpec(FaultyFile.FEATURES, true, Activation.TANH, 0.05, null,
        0.0);
    final FaultyFile file = FaultyFile.random(new Random(3), 5000, 10);
    final Replay mixed = new Replay(spec);
    final List<String> reported = new ArrayList<>();
    mixed.train(new StringReader(file.mixed()), (line, reason, detail) -> reported.add(reason));
    final Replay clean = new Replay(spec);
    clean.train(new StringReader(file.validOnly()), (line, reason, detail) -> {
      throw new AssertionError("line " + line + ": " + reason + ": " + detail);
    });

    assertThat(mixed.invalid()).isEqualTo(file.badRows());
    assertThat(reported).hasSize(file.badRows());
    assertThat(clean.models()).hasSize(4);
    ModelAssert.assertAllBitIdentical(key -> Optional.ofNullable(
        mixed.models().get(key)), clean.models());
    assertThat(mixed.models().keySet()).isEqualTo(clean.models().keySet());
  }
}
