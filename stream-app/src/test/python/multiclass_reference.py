#!/usr/bin/env python3
"""Writes multiclass-torch.json: streams of events of K classes (JSON Lines as gradstream reads
them, labels by class name or index, a few that no class takes), and what torch in float64 learns
from them: nn.Linear layers, F.cross_entropy, autograd and torch.optim, one step per valid event in
file order, each key its own model; with sklearn.metrics' log_loss and accuracy_score of the
prequential predictions (each event's softmax before its step). For MulticlassReplayTest and the
integration test that runs the same streams through a broker.

Independent of gradstream's code: a network's starting weights come from the SplitMix64 and Glorot
rule of the README, written again here (the output layer's fan-out is K); one layer starts at
zeros; weight decay is a parameter group of the weights only, never on a bias. Run with Debian's
python3-torch and python3-sklearn:
/usr/bin/python3 multiclass_reference.py > ../resources/multiclass-torch.json
"""
import json
import math
import random

import sklearn
import sklearn.metrics
import torch
import torch.nn.functional as F

M = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & M

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        return z ^ (z >> 31)


def start(sizes, seed):
    """(w, b) per layer: zeros for one layer, Glorot from SplitMix64 with hidden layers."""
    r = SplitMix64(seed)
    layers = []
    for l in range(1, len(sizes)):
        fan_in, fan_out = sizes[l - 1], sizes[l]
        if len(sizes) == 2:
            w = [[0.0] * fan_in for _ in range(fan_out)]
        else:
            a = math.sqrt(6.0 / (fan_in + fan_out))
            w = [[a * (2.0 * ((r.next() >> 11) * 2.0 ** -53) - 1.0) for _ in range(fan_in)]
                 for _ in range(fan_out)]
        layers.append((torch.tensor(w, dtype=torch.float64, requires_grad=True),
                       torch.zeros(fan_out, dtype=torch.float64, requires_grad=True)))
    return layers


def optimizer(case, weights, biases):
    name, lr, wd = case["optimizer"], case["lr"], case.get("weightDecay", 0.0)
    groups = [{"params": weights, "weight_decay": wd}, {"params": biases, "weight_decay": 0.0}]
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr)
    if name == "momentum":
        return torch.optim.SGD(groups, lr=lr, momentum=0.9)
    if name == "adagrad":
        return torch.optim.Adagrad(groups, lr=lr, eps=1e-10)
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr)
    raise ValueError(name)


class Key:
    def __init__(self, case):
        sizes = [case["features"]] + case["hidden"] + [case["classes"]]
        self.layers = start(sizes, case.get("seed", 42))
        weights = [w for w, _ in self.layers]
        biases = [b for _, b in self.layers]
        self.opt = optimizer(case, weights, biases)
        self.count = 0
        self.loss_sum = 0.0
        self.probabilities = []
        self.labels = []

    def step(self, x, d):
        a = torch.tensor(x, dtype=torch.float64)
        for l, (w, b) in enumerate(self.layers):
            z = w @ a + b
            a = z if l == len(self.layers) - 1 else torch.tanh(z)
        loss = F.cross_entropy(z.unsqueeze(0), torch.tensor([d]))
        self.probabilities.append(torch.softmax(z, 0).tolist())
        self.labels.append(d)
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        self.count += 1
        self.loss_sum += loss.item()


def teacher(case, rnd):
    k, n = case["classes"], case["features"]
    return [[rnd.gauss(0.0, 2.0) for _ in range(n)] for _ in range(k)]


def label_of(w, x, rnd):
    """A class drawn from the softmax of the teacher's scores."""
    scores = [sum(wi * xi for wi, xi in zip(row, x)) for row in w]
    top = max(scores)
    e = [math.exp(s - top) for s in scores]
    u = rnd.random() * sum(e)
    for j, ej in enumerate(e):
        u -= ej
        if u <= 0:
            return j
    return len(e) - 1


def run(case, rnd):
    names = case.get("names")
    keys = {}
    lines = []
    w = {key: teacher(case, rnd) for key in case["keys"]}
    for t in range(case["events"]):
        key = case["keys"][t % len(case["keys"])]
        x = [round(rnd.uniform(-2.0, 2.0), 6) for _ in range(case["features"])]
        d = label_of(w[key], x, rnd)
        if t % 37 == 5:
            # a label no class takes: refused, and nothing learns from it
            bad = "no-such-class" if names else d + 0.5
            lines.append(json.dumps({"key": key, "x": x, "d": bad}))
            continue
        if t % 53 == 9:
            bad = case["classes"]
            lines.append(json.dumps({"key": key, "x": x, "d": bad}))
            continue
        # by name, and every seventh by index, as a stream may mix them
        label = names[d] if names and t % 7 != 3 else d
        lines.append(json.dumps({"key": key, "x": x, "d": label}))
        keys.setdefault(key, Key(case)).step(x, d)
    return lines, keys


def metrics(probabilities, labels, k):
    predicted = [max(range(k), key=lambda j: p[j]) for p in probabilities]
    return {"count": len(labels),
            "logLoss": sklearn.metrics.log_loss(labels, probabilities, labels=list(range(k))),
            "accuracy": sklearn.metrics.accuracy_score(labels, predicted)}


CASES = [
    dict(name="one-layer-3-names-sgd-decay", features=3, hidden=[], classes=3,
         names=["setosa", "versicolor", "virginica"], optimizer="sgd", lr=0.1,
         weightDecay=0.01, keys=["iris-a", "iris-b"], events=400),
    dict(name="network-4-adam", features=4, hidden=[6], classes=4, optimizer="adam", lr=0.01,
         seed=42, keys=["k"], events=400),
    dict(name="one-layer-10-adagrad", features=5, hidden=[], classes=10, optimizer="adagrad",
         lr=0.05, keys=["ten"], events=300),
]


def main():
    rnd = random.Random(29)
    out = []
    for case in CASES:
        lines, keys = run(case, rnd)
        models = {}
        for key, m in keys.items():
            layers = [{"w": w.tolist(), "b": b.tolist()} for w, b in m.layers]
            models[key] = {"layers": layers, "count": m.count, "lossSum": m.loss_sum,
                           "evaluation": metrics(m.probabilities, m.labels, case["classes"])}
        out.append(dict(case, lines=lines, models=models, torch=torch.__version__,
                        sklearn=sklearn.__version__))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
