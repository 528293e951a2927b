package io.gradstream.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gradstream.events.EventFields;
import io.gradstream.events.JsonEventDecoder;
import io.gradstream.events.NamedFeatures;
import io.gradstream.events.Outcome;
import io.gradstream.events.UndecodableEventException;
import io.gradstream.learn.Classes;
import io.gradstream.learn.HashedLearner;
import io.gradstream.learn.Learner;
import io.gradstream.learn.Model;
import io.gradstream.learn.ModelSpec;
import io.gradstream.learn.StepResult;
import io.gradstream.learn.features.HashedVector;
import io.gradstream.query.Explanation;
import io.gradstream.query.ModelJson;
import io.gradstream.step.HashedInput;
import io.gradstream.step.ScaledX;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code POST /models/{key}/predict}: {@code {"x": [..]}} answers {@code {"key", "y",
 * "modelStep"}}; {@code {"instances": [[..], ..]}} answers {@code {"key", "modelStep",
 * "predictions": [..]}}, every y from the same model. Read-only: nothing is kept pending and no
 * model changes. Everything wrong with a request is a {@link BadRequest} that says what.
 */
final class PredictRequest {
  /** Requests are small; a bound keeps a runaway client from filling the heap. */
  static final int MAX_BODY_BYTES = 4 << 20;

  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final Learner learner;
  /** A hashed spec's learner and the hashing of a request's features; null when dense. */
  private final HashedLearner hashed;
  private final HashedInput hashedInput;
  private final Explanation explanation;
  private final JsonEventDecoder features = new JsonEventDecoder();
  private final EventFields event = new EventFields();
  /** The classes of a model of K classes, whose answers carry them; null otherwise. */
  private final Classes classes;

  PredictRequest(final ModelSpec spec) {
    this.learner = Learner.of(spec);
    this.classes = spec.classes();
    this.hashed = spec.hashBits() > 0 ? HashedLearner.of(spec) : null;
    this.hashedInput = spec.hashBits() > 0 ? new HashedInput(spec.hashing()) : null;
    this.explanation = spec.hashBits() > 0 && spec.layers() == null ? new Explanation(spec)
        : null;
  }

  /** The classes of the models it predicts with; null for models of one output. */
  Classes classes() {
    return classes;
  }

  /** What the client got wrong, said in one sentence. */
  static final class BadRequest extends Exception {
    BadRequest(final String message) {
      super(message);
    }
  }

  /**
   * @param model the committed model of {@code key}, or null when it has none (then the initial
   *     weights predict, at model step 0)
   */
  ObjectNode answer(final String key, final Model model, final byte[] body) throws BadRequest {
    if (hashed != null) {
      return answerHashed(key, model != null ? model : hashed.newModel(), body);
    }
    final Input input = parse(body);
    final Model current = model != null ? model : learner.newModel();
    final StepResult out = new StepResult();
    final ScaledX scaled = new ScaledX();
    final ObjectNode answer = ModelJson.MAPPER.createObjectNode();
    answer.put("key", key);
    if (input.single) {
      answer.put("y", predict(current, input.instances.get(0), -1, scaled, out));
      if (classes != null) {
        ModelJson.putClassOutput(answer, classes, out);
      }
    } else {
      final ArrayNode ys = answer.putArray("predictions");
      // a model of K classes answers each instance's label and probabilities beside its y
      final ArrayNode labels = classes == null ? null : answer.putArray("labels");
      final ArrayNode probabilities = classes == null ? null : answer.putArray("probabilities");
      for (int i = 0; i < input.instances.size(); i++) {
        ys.add(predict(current, input.instances.get(i), i, scaled, out));
        if (classes != null) {
          labels.add(ModelJson.label(classes, out.label()));
          probabilities.add(ModelJson.probabilities(out));
        }
      }
    }
    answer.put("modelStep", current.count());
    if (current.race() != null) {
      answer.put("variant", current.race().variant());
    }
    return answer;
  }

  private double predict(final Model model, final double[] x, final int index,
      final ScaledX scaled, final StepResult out) throws BadRequest {
    final Outcome outcome = Outcome.of(learner.predict(model, scaled.of(model, x, false), out));
    if (outcome != Outcome.PREDICTED) {
      throw new BadRequest((index < 0 ? "" : "instance " + index + ": ") + outcome.code() + ": "
          + outcome.detail(x.length, model.features()));
    }
    return out.y();
  }

  /**
   * A hashed model's prediction: {@code {"features": {...}}}, read as an event's features are.
   * Requests are served one at a time per instance of this class, as the HTTP API makes them.
   */
  private synchronized ObjectNode answerHashed(final String key, final Model model,
      final byte[] body) throws BadRequest {
    final HashedVector x = hashedInput.of(features(body), model.scaler(), false);
    if (x == null) {
      throw new BadRequest(hashedInput.refusal().code() + ": " + hashedInput.refusalDetail());
    }
    final StepResult out = new StepResult();
    final Outcome outcome = Outcome.of(hashed.predict(model, x, out));
    if (outcome != Outcome.PREDICTED) {
      throw new BadRequest(outcome.code() + ": " + outcome.namedDetail(model.features()));
    }
    final ObjectNode answer = ModelJson.MAPPER.createObjectNode();
    answer.put("key", key);
    answer.put("y", out.y());
    answer.put("modelStep", model.count());
    if (model.race() != null) {
      answer.put("variant", model.race().variant());
    }
    return answer;
  }

  /**
   * {@code POST /models/{key}/explain}: {@code {"features": {...}}} answers each term of the
   * prediction with its coordinate, sign, value after scaling, weight and contribution.
   */
  synchronized ObjectNode explain(final String key, final Model model, final byte[] body)
      throws BadRequest {
    if (explanation == null) {
      throw new BadRequest(hashed != null
          ? "explain is for one hashed neuron: through hidden layers the terms' contributions do "
              + "not add up to the prediction"
          : "explain is for hashed models (--hash-bits), whose terms are named features: a "
              + "dense model's terms are its x and its weights, GET /models/{key}");
    }
    final NamedFeatures named = features(body);
    try {
      return explanation.of(key, model != null ? model : explanation.newModel(), named);
    } catch (final IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  /** The request's named features, read as an event's are. */
  private NamedFeatures features(final byte[] body) throws BadRequest {
    try {
      features.decode(body, event);
    } catch (final UndecodableEventException e) {
      throw new BadRequest(e.getMessage());
    }
    if (!event.hasFeatures) {
      throw new BadRequest("expected \"features\": {..}: the models hash named features");
    }
    return event.features;
  }

  private record Input(boolean single, List<double[]> instances) {}

  private static Input parse(final byte[] body) throws BadRequest {
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new BadRequest("expected a JSON object with \"x\" or \"instances\"");
      }
      Input input = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        final String field = p.currentName();
        final JsonToken t = p.nextToken();
        switch (field) {
          case "x" -> input = new Input(true, List.of(vector(p, t, "\"x\"")));
          case "instances" -> input = new Input(false, instances(p, t));
          default -> p.skipChildren();
        }
      }
      if (input == null) {
        throw new BadRequest("expected \"x\": [..] or \"instances\": [[..], ..]");
      }
      return input;
    } catch (final JsonProcessingException e) {
      throw new BadRequest("the body is not JSON: " + e.getOriginalMessage());
    } catch (final IOException e) {
      throw new BadRequest("the body cannot be read: " + e.getMessage());
    }
  }

  private static List<double[]> instances(final JsonParser p, final JsonToken t)
      throws IOException, BadRequest {
    if (t != JsonToken.START_ARRAY) {
      throw new BadRequest("\"instances\" must be an array of arrays of numbers");
    }
    final List<double[]> all = new ArrayList<>();
    JsonToken next;
    while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
      all.add(vector(p, next, "instance " + all.size()));
    }
    if (all.isEmpty()) {
      throw new BadRequest("\"instances\" is empty");
    }
    return all;
  }

  private static double[] vector(final JsonParser p, final JsonToken t, final String name)
      throws IOException, BadRequest {
    if (t != JsonToken.START_ARRAY) {
      throw new BadRequest(name + " must be an array of numbers");
    }
    double[] x = new double[8];
    int n = 0;
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      if (!v.isNumeric()) {
        throw new BadRequest(name + " must hold only numbers");
      }
      if (n == x.length) {
        x = Arrays.copyOf(x, 2 * n);
      }
      x[n++] = p.getDoubleValue();
    }
    return Arrays.copyOf(x, n);
  }
}
