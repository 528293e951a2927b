package io.gradstream.testregistry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.ArrayList;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * The bean Apicurio's config-index extension would make at build time (the extension's build half
 * is not on Maven Central): the list of properties an admin may change at run time, empty here.
 */
@ApplicationScoped
public class NoDynamicProperties {
  @Produces
  @ApplicationScoped
  DynamicConfigPropertyList properties() {
    return new DynamicConfigPropertyList(new ArrayList<>());
  }
}
