package io.gradstream.learn;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The neuron's activation f and its slope f'. StrictMath (and {@link Tanh}, which gives its bits)
 * keeps exp and tanh bit-identical on every JVM and CPU, so a model restored on another machine
 * continues with exactly the same numbers.
 */
public enum Activation {
  IDENTITY {
    @Override
    public double value(final double net) {
      return net;
    }

    @Override
    public double derivative(final double net, final double y) {
      return 1.0;
    }
  },
  SIGMOID {
    // f(net) = 1 / (1 + e^(−net))
    @Override
    public double value(final double net) {
      return 1.0 / (1.0 + StrictMath.exp(-net));
    }

    // f'(net) = f(net)·(1 − f(net))
    @Override
    public double derivative(final double net, final double y) {
      return y * (1.0 - y);
    }
  },
  TANH {
    // StrictMath.tanh's very bits (fdlibm), computed in Java rather than by a native call
    @Override
    public double value(final double net) {
      return Tanh.tanh(net);
    }

    // f'(net) = 1 − tanh²(net)
    @Override
    public double derivative(final double net, final double y) {
      return 1.0 - y * y;
    }
  },
  RELU {
    @Override
    public double value(final double net) {
      return net > 0.0 ? net : 0.0;
    }

    // relu'(0) = 0, the README's learning rule
    @Override
    public double derivative(final double net, final double y) {
      return net > 0.0 ? 1.0 : 0.0;
    }
  },
  LEAKY_RELU {
    @Override
    public double value(final double net) {
      return net > 0.0 ? net : LEAKY_SLOPE * net;
    }

    @Override
    public double derivative(final double net, final double y) {
      return net > 0.0 ? 1.0 : LEAKY_SLOPE;
    }
  };

  /** Slope of leaky_relu below zero. */
  public static final double LEAKY_SLOPE = 0.01;

  public abstract double value(double net);

  /** f'(net), given {@code y} = f(net) already computed: sigmoid and tanh reuse it. */
  public abstract double derivative(double net, double y);

  public final double derivative(final double net) {
    return derivative(net, value(net));
  }

  /** The name users write: identity, sigmoid, tanh, relu, leaky_relu. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Activation fromId(final String id) {
    for (final Activation a : values()) {
      if (a.id().equals(id)) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + id + "' (expected one of " + ids() + ")");
  }

  public static String ids() {
    return Arrays.stream(values()).map(Activation::id).collect(Collectors.joining(", "));
  }
}
