package io.gradstream.learn.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Page-Hinkley and DDM against the README's rules written again here, step by step, on streams
 * whose loss or error rate rises half-way; and by hand on a few steps.
 */
class DriftDetectorTest {
  /** The README's Page-Hinkley, as plainly as it reads. */
  private static final class PageHinkleyRule {
    final double delta;
    final double lambda;
    final double alpha;
    final long m;
    long n;
    double mean;
    double s;
    double smin;

    PageHinkleyRule(final double delta, final double lambda, final double alpha, final long m) {
      this.delta = delta;
      this.lambda = lambda;
      this.alpha = alpha;
      this.m = m;
    }

    boolean read(final double v) {
      n = n + 1;
      mean = mean + (v - mean) / n;
      s = alpha * s + (v - mean - delta);
      smin = Math.min(smin, s);
      final boolean drift = n >= m && s - smin > lambda;
      if (drift) {
        n = 0;
        mean = 0;
        s = 0;
        smin = 0;
      }
      return drift;
    }
  }

  /** The README's DDM (strict comparisons, as Gama et al.). */
  private static final class DdmRule {
    final long m;
    final double k;
    long n;
    double p;
    double pmin = Double.POSITIVE_INFINITY;
    double smin = Double.POSITIVE_INFINITY;
    boolean warning;

    DdmRule(final long m, final double k) {
      this.m = m;
      this.k = k;
    }

    boolean read(final double e) {
      n = n + 1;
      p = p + (e - p) / n;
      final double s = Math.sqrt(p * (1 - p) / n);
      warning = false;
      if (n >= m) {
        if (p + s < pmin + smin) {
          pmin = p;
          smin = s;
        }
        if (p + s > pmin + k * smin) {
          n = 0;
          p = 0;
          pmin = Double.POSITIVE_INFINITY;
          smin = Double.POSITIVE_INFINITY;
          return true;
        }
        warning = p + s > pmin + 2 * smin;
      }
      return false;
    }
  }

  @Test
  void pageHinkleyFollowsTheRuleStepByStep() {
    final Random random = new Random(5);
    for (final double alpha : new double[] {1.0, 0.9999, 0.99}) {
      final PageHinkley detector = new PageHinkley(0.005, 2.0, alpha, 30);
      final PageHinkleyRule rule = new PageHinkleyRule(0.005, 2.0, alpha, 30);
      final List<Integer> drifts = new ArrayList<>();
      for (int t = 0; t < 6000; t++) {
        // the loss's mean rises from 0.1 to 0.6 at 2000 and falls back at 4000
        final double v = (t >= 2000 && t < 4000 ? 0.6 : 0.1) * 2 * random.nextDouble();
        final boolean drift = detector.update(v, 0.0);
        assertThat(drift).as("step %d", t).isEqualTo(rule.read(v));
        if (drift) {
          drifts.add(t);
        } else {
          assertThat(detector.statistic()).isEqualTo(rule.s - rule.smin);
        }
        assertThat(detector.threshold()).isEqualTo(2.0);
      }
      assertThat(drifts).as("alpha %s", alpha).isNotEmpty()
          .anySatisfy(t -> assertThat(t).isBetween(2000, 2100));
    }
  }

  @Test
  void pageHinkleyByHand() {
    // δ = 0, λ = 1, α = 1, m = 2: v = 0, 0, 3 → mean 0, 0, 1; S = 0, 0, 2; Smin 0; 2 > 1 at n = 3
    final PageHinkley detector = new PageHinkley(0.0, 1.0, 1.0, 2);
    assertThat(detector.update(0.0, 0.0)).isFalse();
    assertThat(detector.update(0.0, 0.0)).isFalse();
    assertThat(detector.update(3.0, 0.0)).isTrue();
    assertThat(detector.statistic()).isEqualTo(2.0);
    // it started again: n = 1 with v = 5 → mean 5, S = 0
    assertThat(detector.update(5.0, 0.0)).isFalse();
    assertThat(detector.statistic()).isZero();
    // below m no drift, whatever S: m = 3, one large loss after a small one
    final PageHinkley young = new PageHinkley(0.0, 0.1, 1.0, 3);
    assertThat(young.update(0.0, 0.0)).isFalse();
    assertThat(young.update(10.0, 0.0)).isFalse();
    assertThat(young.statistic()).isEqualTo(5.0);
    assertThat(young.update(10.0, 0.0)).isTrue();
  }

  @Test
  void ddmFollowsTheRuleStepByStep() {
    final Random random = new Random(9);
    final Ddm detector = new Ddm(30, 3.0);
    final DdmRule rule = new DdmRule(30, 3.0);
    final List<Integer> drifts = new ArrayList<>();
    int warnings = 0;
    for (int t = 0; t < 8000; t++) {
      final double e = random.nextDouble() < (t >= 3000 ? 0.35 : 0.1) ? 1.0 : 0.0;
      final boolean drift = detector.update(0.0, e);
      assertThat(drift).as("step %d", t).isEqualTo(rule.read(e));
      assertThat(detector.warning()).as("step %d", t).isEqualTo(rule.warning);
      if (drift) {
        drifts.add(t);
      }
      warnings += detector.warning() ? 1 : 0;
    }
    assertThat(drifts).anySatisfy(t -> assertThat(t).isBetween(3000, 3300));
    assertThat(warnings).isPositive();
  }

  @Test
  void ddmByHand() {
    // m = 2, k = 1: errors 0, 1 → p = 0.5, s = √(0.25/2); at n = 2 (pmin, smin) = (p, s), and
    // p + s > p + s is false; then 1 → p = 2/3, s = √(2/9/3) = 0.2722; pmin + smin = 0.8536 <
    // 0.9389: a drift
    final Ddm detector = new Ddm(2, 1.0);
    assertThat(detector.update(0.0, 0.0)).isFalse();
    assertThat(detector.threshold()).isInfinite();
    assertThat(detector.update(0.0, 1.0)).isFalse();
    assertThat(detector.threshold()).isCloseTo(0.5 + Math.sqrt(0.125), within(1e-15));
    assertThat(detector.update(0.0, 1.0)).isTrue();
    assertThat(detector.statistic()).isCloseTo(2.0 / 3 + Math.sqrt(2.0 / 27), within(1e-15));
    assertThat(detector.threshold()).isCloseTo(0.5 + Math.sqrt(0.125), within(1e-15));
    // a model without an error is never drifting (p = s = 0 = pmin = smin)
    final Ddm perfect = new Ddm(2, 3.0);
    for (int i = 0; i < 100; i++) {
      assertThat(perfect.update(0.0, 0.0)).isFalse();
    }
  }

  @Test
  void theStateWrittenIsTheStateRead() {
    final PageHinkley ph = new PageHinkley(0.01, 3.0, 0.999, 10);
    final Ddm ddm = new Ddm(10, 3.0);
    final Random random = new Random(1);
    for (int i = 0; i < 57; i++) {
      ph.update(random.nextDouble(), 0.0);
      ddm.update(0.0, random.nextInt(4) == 0 ? 1.0 : 0.0);
    }
    final double[] state = new double[2 + 2 * DriftDetector.STATE];
    ph.write(state, 1);
    ddm.write(state, 1 + DriftDetector.STATE);
    final PageHinkley phRead = new PageHinkley(0.01, 3.0, 0.999, 10);
    final Ddm ddmRead = new Ddm(10, 3.0);
    phRead.read(state, 1);
    ddmRead.read(state, 1 + DriftDetector.STATE);
    final DriftDetector phCopy = ph.copy();
    final DriftDetector ddmCopy = ddm.copy();
    for (int i = 0; i < 2000; i++) {
      final double v = random.nextDouble() * (i > 500 ? 3 : 1);
      final double e = random.nextInt(i > 500 ? 2 : 4) == 0 ? 1.0 : 0.0;
      final boolean phDrift = ph.update(v, 0.0);
      assertThat(phRead.update(v, 0.0)).isEqualTo(phDrift);
      assertThat(phCopy.update(v, 0.0)).isEqualTo(phDrift);
      assertThat(phRead.statistic()).isEqualTo(ph.statistic());
      final boolean ddmDrift = ddm.update(0.0, e);
      assertThat(ddmRead.update(0.0, e)).isEqualTo(ddmDrift);
      assertThat(ddmCopy.update(0.0, e)).isEqualTo(ddmDrift);
      assertThat(ddmRead.statistic()).isEqualTo(ddm.statistic());
      assertThat(ddmCopy.threshold()).isEqualTo(ddm.threshold());
    }
    assertThat(ph.id()).isEqualTo("page-hinkley");
    assertThat(ddm.id()).isEqualTo("ddm");
  }
}
