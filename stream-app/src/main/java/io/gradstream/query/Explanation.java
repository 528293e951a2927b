package io.gradstream.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.NamedFeatures;
import io.gradstream.events.Outcome;
import io.gradstream.learn.HashedNeuron;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.step.HashedInput;
import java.util.Comparator;
import java.util.List;

/**
 * Why a hashed model predicts what it does for an event's features (the audit users of hashed
 * models rely on): each term with its coordinate, the sign of its hash, its value after scaling,
 * the coordinate's weight and its contribution sign·value·weight to the net input, largest
 * contribution first; then the bias, the net input and y, which the contributions and the bias
 * add up to. Not thread-safe: one per thread, or used under a lock.
 */
public final class Explanation {
  private final HashedNeuron neuron;
  private final HashedInput input;
  private final StepResult out = new StepResult();

  public Explanation(final ModelSpec spec) {
    if (spec.hashBits() == 0 || spec.layers() != null) {
      throw new IllegalArgumentException("explaining a prediction term by term is for one hashed "
          + "neuron (--hash-bits, no --hidden): a dense model's terms are its x, and through "
          + "hidden layers the terms' contributions do not add up");
    }
    this.neuron = new HashedNeuron(spec);
    this.input = new HashedInput(spec.hashing());
  }

  /** The model a key without one predicts with. */
  public Model newModel() {
    return neuron.newModel();
  }

  /**
   * {@code {"key", "y", "net", "bias", "modelStep", "terms": [{"term", "coordinate", "sign",
   * "value", "weight", "contribution"}, ..]}}.
   *
   * @throws IllegalArgumentException when the features cannot be predicted for, saying why
   */
  public ObjectNode of(final String key, final Model model, final NamedFeatures features) {
    final List<HashedInput.Term> terms = input.terms(features, model.scaler());
    if (terms == null) {
      throw new IllegalArgumentException(input.refusal().code() + ": " + input.refusalDetail());
    }
    final HashedVector x = input.of(features, model.scaler(), false);
    final Outcome outcome = Outcome.of(neuron.predict(model, x, out));
    if (outcome != Outcome.PREDICTED) {
      throw new IllegalArgumentException(outcome.code() + ": "
          + outcome.namedDetail(model.features()));
    }
    final ObjectNode answer = ModelJson.MAPPER.createObjectNode();
    answer.put("key", key);
    answer.put("y", out.y());
    answer.put("net", out.net());
    answer.put("bias", model.bias());
    answer.put("modelStep", model.count());
    final ArrayNode list = answer.putArray("terms");
    terms.stream()
        .map(t -> new Contribution(t, model.sparse().weightAt(t.coordinate())))
        .sorted(Comparator.comparingDouble((Contribution c) -> -Math.abs(c.value())))
        .forEach(c -> {
          final ObjectNode one = list.addObject();
          one.put("term", c.term().name());
          one.put("coordinate", c.term().coordinate());
          one.put("sign", c.term().sign());
          one.put("value", c.term().value());
          one.put("weight", c.weight());
          one.put("contribution", c.value());
        });
    return answer;
  }

  private record Contribution(HashedInput.Term term, double weight) {
    double value() {
      return term.sign() * term.value() * weight;
    }
  }
}
