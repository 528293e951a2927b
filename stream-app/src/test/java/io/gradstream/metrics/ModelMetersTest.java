package io.gradstream.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gradstream.learn.Model;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class ModelMetersTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ModelMeters meters = new ModelMeters(registry, 2);

  @Test
  void tracksTheFirstModelsUpToTheBoundAndCountsTheRest() {
    final Model a = new Model(new double[] {0.5, -1}, true, 0.25, 1, 0);
    meters.trained("a", 0.2, a);
    meters.trained("b", 0.2, new Model(new double[] {1}, false, 0, 1, 0));
    meters.trained("c", 0.2, new Model(new double[] {1}, false, 0, 1, 0));
    meters.trained("c", 0.2, new Model(new double[] {1}, false, 0, 2, 0));

    assertThat(registry.find("gradstream.model.loss.ewma").gauges()).hasSize(2);
    assertThat(registry.find("gradstream.model.loss.ewma").tag("model", "c").gauge()).isNull();
    assertThat(registry.get("gradstream.model.series.untracked.events").counter().count())
        .isEqualTo(2.0);
    assertThat(registry.get("gradstream.model.series.tracked").gauge().value()).isEqualTo(2.0);
    assertThat(registry.get("gradstream.model.weight").tags("model", "a", "index", "2").gauge()
        .value()).isEqualTo(-1.0);
    assertThat(registry.get("gradstream.model.bias").tag("model", "a").gauge().value())
        .isEqualTo(0.25);
    assertThat(registry.find("gradstream.model.bias").tag("model", "b").gauge()).isNull();

    // once the bound is reached, the tracked models go on updating
    meters.trained("a", 0.2, new Model(new double[] {0.5, -1}, true, 0.75, 2, 0));
    assertThat(registry.get("gradstream.model.bias").tag("model", "a").gauge().value())
        .isEqualTo(0.75);
    assertThat(registry.get("gradstream.model.series.untracked.events").counter().count())
        .isEqualTo(2.0);
  }

  @Test
  void theLossAverageStartsAtTheFirstLossAndMovesOnePercentPerEvent() {
    final Model m = new Model(new double[] {0}, false, 0, 1, 0);
    meters.trained("m", 1.0, m);
    assertThat(ewma()).isEqualTo(1.0);
    meters.trained("m", 0.0, m);
    assertThat(ewma()).isCloseTo(0.99, within(1e-15)); // 1 + 0.01·(0 − 1)
    for (int i = 0; i < 1000; i++) {
      meters.trained("m", 0.0, m);
    }
    assertThat(ewma()).isCloseTo(0.99 * Math.pow(0.99, 1000), within(1e-12));
    assertThat(registry.get("gradstream.model.steps").tag("model", "m").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void onlyTheFirstSixteenWeightsGetSeries() {
    meters.trained("wide", 0.1, new Model(new double[100], false, 0, 1, 0));
    assertThat(registry.find("gradstream.model.weight").tag("model", "wide").gauges())
        .hasSize(ModelMeters.MAX_WEIGHTS);
  }

  private double ewma() {
    return registry.get("gradstream.model.loss.ewma").tag("model", "m").gauge().value();
  }
}
