package io.gradstream.step;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a prediction waits for its label, in event time, and how far behind the stream time a
 * label may arrive and still find it.
 *
 * @param ttl a label more than this after its prediction is too late
 * @param grace the cleanup removes a prediction once the stream time (the largest event time of
 *     the served predictions and of the labels that found theirs)
 *     passes its time plus {@code ttl} plus {@code grace}; a label that arrives in time order never
 *     notices, one that lags the stream time by more than {@code grace} may find it gone
 */
public record LabelTtl(Duration ttl, Duration grace) {
  public static final String DEFAULT_TTL = "24h";
  public static final String DEFAULT_GRACE = "1h";

  /** One or more parts, largest first or not: 90s, 1h30m, 71h59m58s, 2d12h, 500ms. */
  private static final Pattern SHORT = Pattern.compile("(?:[0-9]+(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("([0-9]+)(ms|s|m|h|d)");

  public LabelTtl {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("label ttl must be positive, got " + ttl);
    }
    if (grace.isNegative()) {
      throw new IllegalArgumentException("label grace must not be negative, got " + grace);
    }
  }

  public static LabelTtl defaults() {
    return new LabelTtl(parse("label ttl", DEFAULT_TTL), parse("label grace", DEFAULT_GRACE));
  }

  public long ttlMillis() {
    return ttl.toMillis();
  }

  /** The prediction time before which a pending prediction can be removed at stream time s. */
  public long expiredBefore(final long streamTime) {
    final long horizon = ttl.toMillis() + grace.toMillis();
    return streamTime < Long.MIN_VALUE + horizon ? Long.MIN_VALUE : streamTime - horizon;
  }

  /**
   * {@code 90s}, {@code 15m}, {@code 1h}, {@code 7d}, {@code 500ms}, combined ({@code 71h59m58s},
   * {@code 1h30m}), or ISO-8601 ({@code PT1H}).
   *
   * @param setting the setting's name in words, for the message
   */
  public static Duration parse(final String setting, final String text) {
    final String lower = text.trim().toLowerCase(Locale.ROOT);
    if (SHORT.matcher(lower).matches()) {
      Duration total = Duration.ZERO;
      final Matcher m = PART.matcher(lower);
      try {
        while (m.find()) {
          final long n = Long.parseLong(m.group(1));
          total = total.plus(switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          });
        }
        total.toMillis(); // what the label rules compute with
        return total;
      } catch (final ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException(setting + " '" + text + "' is too long a duration");
      }
    }
    try {
      return Duration.parse(text.trim());
    } catch (final RuntimeException e) {
      throw new IllegalArgumentException(setting + " '" + text + "' is not a duration: write 90s, "
          + "15m, 1h30m, 7d, 500ms or ISO-8601 such as PT1H");
    }
  }
}
