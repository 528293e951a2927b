package io.gradstream.query;

import io.gradstream.learn.Model;
import java.util.List;
import java.util.Optional;

/**
 * The other instances of the application, asked for what their own stores hold: how the service
 * reaches them (HTTP) is wired in from outside, so that reading models needs no server code.
 */
public interface Peers {
  /** The model of {@code key} in the store of the instance at host:port, if it has one. */
  Optional<Model> find(String host, int port, String key) throws ModelLookup.UnavailableException;

  /** The keys of each instance ({@code host:port}); those that do not answer in time are named. */
  ModelLookup.Keys keys(List<String> instances);
}
