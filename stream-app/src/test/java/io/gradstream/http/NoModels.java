package io.gradstream.http;

import io.gradstream.learn.Model;
import io.gradstream.query.ModelLookup;
import java.util.List;
import java.util.Optional;

/** A lookup that knows no model: for tests of what the HTTP API does around the models. */
public final class NoModels implements ModelLookup {
  @Override
  public Optional<Model> find(final String key, final boolean localOnly) {
    return Optional.empty();
  }

  @Override
  public Keys keys(final boolean localOnly) {
    return Keys.complete(List.of());
  }
}
