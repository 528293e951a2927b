package io.gradstream.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gradstream.learn.optim.LrSchedule;
import io.gradstream.learn.optim.OptimizerKind;
import io.gradstream.learn.optim.OptimizerSettings;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Networks trained event by event against torch: float64 autograd and torch.optim on the same
 * events, from the same seed's Glorot start (rebuilt there from the README's rule). The expected
 * values were written by {@code src/test/python/network_reference.py} with Debian's python3-torch;
 * every optimizer but FTRL, every loss, every activation, clipping, decay and a schedule appear.
 */
class NetworkMatchesTorchTest {
  static Stream<JsonNode> cases() throws Exception {
    try (InputStream in = NetworkMatchesTorchTest.class.getResourceAsStream(
        "/network-torch.json")) {
      final List<JsonNode> cases = new ArrayList<>();
      new ObjectMapper().readTree(in).forEach(cases::add);
      return cases.stream();
    }
  }

  @ParameterizedTest(name = "{index}")
  @MethodSource("cases")
  void finalNetworkMatchesTorchWithin1e9(final JsonNode c) {
    final int[] hidden = ints(c.get("hidden"));
    final ModelSpec spec = new ModelSpec(c.get("features").intValue(), false,
        Activation.fromId(c.get("activation").textValue()), c.get("lr").doubleValue(), null, 0.0,
        Loss.of(c.get("loss").textValue(), c.path("huberDelta").asDouble(1.0)),
        new OptimizerSettings(OptimizerKind.named(c.get("optimizer").textValue()), null, null,
            null, null, null, c.has("weightDecay") ? c.get("weightDecay").doubleValue() : null,
            null, null, null, c.has("powerT") ? LrSchedule.INVSCALING : LrSchedule.CONSTANT,
            c.has("powerT") ? c.get("powerT").doubleValue() : null,
            c.path("clipNorm").asDouble(0.0)),
        HiddenLayers.of(hidden, Activation.fromId(c.get("hiddenActivation").textValue()),
            c.get("seed").longValue()));
    final Learner learner = Learner.of(spec);
    final Model model = learner.newModel();
    final StepResult step = new StepResult();
    for (int t = 0; t < c.get("d").size(); t++) {
      final double[] x = doubles(c.get("x").get(t));
      assertThat(learner.learn(model, x, c.get("d").get(t).doubleValue(), step))
          .as("%s event %d", c.get("name").textValue(), t).isEqualTo(Verdict.TRAINED);
    }
    final Layers layers = spec.layers();
    final double[] p = model.weights();
    int checked = 0;
    for (int l = 1; l <= layers.count(); l++) {
      final JsonNode expected = c.get("layers").get(l - 1);
      final int in = layers.units(l - 1);
      for (int j = 0; j < layers.units(l); j++) {
        for (int i = 0; i < in; i++) {
          final double torch = expected.get("w").get(j).get(i).doubleValue();
          assertThat(p[layers.weightsAt(l) + j * in + i])
              .as("%s W%d[%d][%d]", c.get("name").textValue(), l, j, i)
              .isCloseTo(torch, within(1e-9 * Math.max(1.0, Math.abs(torch))));
          checked++;
        }
        final double torch = expected.get("b").get(j).doubleValue();
        assertThat(p[layers.biasesAt(l) + j]).as("%s b%d[%d]", c.get("name").textValue(), l, j)
            .isCloseTo(torch, within(1e-9 * Math.max(1.0, Math.abs(torch))));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(layers.parameters());
    assertThat(model.lossSum()).isCloseTo(c.get("lossSum").doubleValue(),
        within(1e-9 * Math.max(1.0, c.get("lossSum").doubleValue())));
  }

  private static int[] ints(final JsonNode a) {
    final int[] v = new int[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).intValue();
    }
    return v;
  }

  private static double[] doubles(final JsonNode a) {
    final double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).doubleValue();
    }
    return v;
  }
}
