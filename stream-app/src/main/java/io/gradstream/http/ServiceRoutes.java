package io.gradstream.http;

import io.gradstream.learn.ModelSpec;
import io.gradstream.query.ModelLookup;
import io.gradstream.ui.LiveView;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a running service serves over HTTP besides the probes and {@code /metrics}: the model API
 * always, the live page and the operators' actions when they are on.
 *
 * @param notReady why the service is not ready (null when it is), asked at each probe
 * @param spec how the models predict
 * @param live the live page's data, served at {@code /} and {@code /ui}; null for no page
 * @param admin the operators' actions on single models; null when they are off
 * @param predictToken the bearer token predictions require; null for none
 */
public record ServiceRoutes(Supplier<String> notReady, ModelLookup models, ModelSpec spec,
    LiveView live, ModelAdmin.Access admin, String predictToken) {

  /** The model API alone, ready while {@code running} says so. */
  public static ServiceRoutes models(final BooleanSupplier running, final ModelLookup models,
      final ModelSpec spec) {
    return new ServiceRoutes(() -> running.getAsBoolean() ? null : "not running", models, spec,
        null, null, null);
  }

  public ServiceRoutes withLive(final LiveView page) {
    return new ServiceRoutes(notReady, models, spec, page, admin, predictToken);
  }

  public ServiceRoutes withAdmin(final ModelAdmin.Access access) {
    return new ServiceRoutes(notReady, models, spec, live, access, predictToken);
  }

  public ServiceRoutes withPredictToken(final String token) {
    return new ServiceRoutes(notReady, models, spec, live, admin, token);
  }
}
