package io.gradstream.learn.optim;

/**
 * torch.optim's single-tensor algorithms (torch 2.x, {@code _single_tensor_sgd}, {@code _adagrad},
 * {@code _rmsprop}, {@code _adam}, {@code _adamw}) and FTRL-Proximal's Algorithm 1, written again
 * here from those sources, over the whole parameter vector at once and with torch's own operations
 * (lerp, addcmul, addcdiv): an independent computation to hold gradstream's optimizers against.
 * The bias is the last parameter; weight decay skips it, as gradstream's contract says.
 */
final class TorchReference {
  final String name;
  final double lr;
  final double momentum = 0.9;
  final double beta1 = 0.9;
  final double beta2 = 0.999;
  final double alpha = 0.99;
  final double weightDecay;
  final double ftrlBeta = 1.0;
  final double l1;
  final double l2;
  final double[] buf;
  final double[] buf2;
  final double eps;
  long step;

  TorchReference(final String name, final double lr, final double weightDecay, final double l1,
      final double l2, final int params) {
    this.name = name;
    this.lr = lr;
    this.weightDecay = weightDecay;
    this.l1 = l1;
    this.l2 = l2;
    this.buf = new double[params];
    this.buf2 = new double[params];
    this.eps = name.equals("adagrad") ? 1e-10 : 1e-8;
  }

  /** One step on {@code p} with gradient {@code grad} (the last entry is the bias). */
  void step(final double[] p, final double[] grad, final double stepLr) {
    step++;
    final int last = p.length - 1;
    final double[] g = grad.clone();
    if (!name.equals("adamw") && !name.equals("ftrl") && weightDecay != 0) {
      for (int i = 0; i < last; i++) {
        g[i] = g[i] + weightDecay * p[i]; // grad.add(param, alpha=weight_decay)
      }
    }
    switch (name) {
      case "sgd" -> {
        for (int i = 0; i < p.length; i++) {
          p[i] = p[i] + (-stepLr) * g[i];
        }
      }
      case "momentum", "nesterov" -> {
        for (int i = 0; i < p.length; i++) {
          buf[i] = step == 1 ? g[i] : buf[i] * momentum + g[i]; // buf.mul_(m).add_(g, 1 - 0)
          final double d = name.equals("nesterov") ? g[i] + momentum * buf[i] : buf[i];
          p[i] = p[i] + (-stepLr) * d;
        }
      }
      case "adagrad" -> {
        for (int i = 0; i < p.length; i++) {
          buf[i] = buf[i] + 1.0 * g[i] * g[i]; // state_sum.addcmul_(grad, grad, value=1)
          final double std = Math.sqrt(buf[i]) + eps;
          p[i] = p[i] + (-stepLr) * (g[i] / std); // addcdiv_(grad, std, value=-clr)
        }
      }
      case "rmsprop" -> {
        for (int i = 0; i < p.length; i++) {
          buf[i] = buf[i] * alpha + (1 - alpha) * g[i] * g[i];
          final double avg = Math.sqrt(buf[i]) + eps;
          p[i] = p[i] + (-stepLr) * (g[i] / avg);
        }
      }
      case "adam", "adamw" -> {
        final double bc1 = 1 - Math.pow(beta1, step);
        final double bc2 = 1 - Math.pow(beta2, step);
        final double stepSize = stepLr / bc1;
        final double bc2Sqrt = Math.sqrt(bc2);
        for (int i = 0; i < p.length; i++) {
          if (name.equals("adamw") && i < last) {
            p[i] = p[i] * (1 - stepLr * weightDecay); // param.mul_(1 - lr * weight_decay)
          }
          buf[i] = buf[i] + (1 - beta1) * (g[i] - buf[i]); // exp_avg.lerp_(grad, 1 - beta1)
          buf2[i] = buf2[i] * beta2 + (1 - beta2) * g[i] * g[i];
          final double denom = Math.sqrt(buf2[i]) / bc2Sqrt + eps;
          p[i] = p[i] + (-stepSize) * (buf[i] / denom);
        }
      }
      case "ftrl" -> {
        // buf = z, buf2 = n; p holds the weights computed from them
        for (int i = 0; i < p.length; i++) {
          final double sigma = (Math.sqrt(buf2[i] + g[i] * g[i]) - Math.sqrt(buf2[i])) / stepLr;
          buf[i] += g[i] - sigma * p[i];
          buf2[i] += g[i] * g[i];
          p[i] = Math.abs(buf[i]) <= l1 ? 0.0
              : -(buf[i] - Math.signum(buf[i]) * l1) / ((ftrlBeta + Math.sqrt(buf2[i])) / stepLr
                  + l2);
        }
      }
      default -> throw new IllegalArgumentException(name);
    }
  }
}
