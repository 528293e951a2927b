package io.gradstream.learn.features;

import java.util.Arrays;

/** How a model scales its numeric inputs before it learns from them ({@code --scale}). */
public enum FeatureScaling {
  NONE("none"),
  /**
   * Each numeric feature (by name; of x, each coordinate) standardized with the running mean and
   * population variance of its values in the model's training events ({@link StandardScaler}).
   */
  STANDARD("standard");

  private final String id;

  FeatureScaling(final String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The scaling named {@code id}; null when none is. */
  public static FeatureScaling of(final String id) {
    return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst().orElse(null);
  }
}
