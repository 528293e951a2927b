#!/usr/bin/env python3
"""Writes network-torch.json: networks trained with torch (float64, autograd, torch.optim) on a
fixed stream of events, for NetworkMatchesTorchTest to hold gradstream's networks against.

Independent of gradstream's code: the starting weights come from the SplitMix64 and Glorot rule of
the README, written again here; the forward pass is torch's; the gradient is autograd's; the step
is torch.optim's (weight decay in a parameter group of the weights only, never on a bias);
clipping is the README's (no epsilon, unlike torch's clip_grad_norm_). Run with Debian's
python3-torch: /usr/bin/python3 network_reference.py > ../resources/network-torch.json
"""
import json
import math
import random

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


def glorot(sizes, seed):
    r = SplitMix64(seed)
    layers = []
    for l in range(1, len(sizes)):
        fan_in, fan_out = sizes[l - 1], sizes[l]
        a = math.sqrt(6.0 / (fan_in + fan_out))
        w = [[a * (2.0 * ((r.next() >> 11) * 2.0 ** -53) - 1.0) for _ in range(fan_in)]
             for _ in range(fan_out)]
        layers.append((torch.tensor(w, dtype=torch.float64, requires_grad=True),
                       torch.zeros(fan_out, dtype=torch.float64, requires_grad=True)))
    return layers


ACT = {
    "identity": lambda z: z,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "leaky_relu": lambda z: F.leaky_relu(z, 0.01),
}


def optimizer(case, weights, biases):
    name, lr, wd = case["optimizer"], case["lr"], case.get("weightDecay")
    groups = [{"params": weights}, {"params": biases, "weight_decay": 0.0}]
    if wd is not None:
        groups[0]["weight_decay"] = wd
    kw = {} if wd is None else {"weight_decay": wd}
    if name == "sgd":
        return torch.optim.SGD(groups, lr=lr, **kw)
    if name == "momentum":
        return torch.optim.SGD(groups, lr=lr, momentum=0.9, **kw)
    if name == "nesterov":
        return torch.optim.SGD(groups, lr=lr, momentum=0.9, nesterov=True, **kw)
    if name == "adagrad":
        return torch.optim.Adagrad(groups, lr=lr, eps=1e-10, **kw)
    if name == "rmsprop":
        return torch.optim.RMSprop(groups, lr=lr, alpha=0.99, eps=1e-8, **kw)
    if name == "adam":
        return torch.optim.Adam(groups, lr=lr, **kw)
    if name == "adamw":
        groups[0].setdefault("weight_decay", 0.01)
        return torch.optim.AdamW(groups, lr=lr)
    raise ValueError(name)


def loss_of(case, net, y, d):
    if case["loss"] == "squared":
        return 0.5 * (d - y) ** 2
    if case["loss"] == "logistic":
        return F.binary_cross_entropy_with_logits(net, d)
    return F.huber_loss(y, d, delta=case["huberDelta"])


def run(case, events):
    sizes = [case["features"]] + case["hidden"] + [1]
    layers = glorot(sizes, case["seed"])
    weights = [w for w, _ in layers]
    biases = [b for _, b in layers]
    opt = optimizer(case, weights, biases)
    hidden, out = ACT[case["hiddenActivation"]], ACT[case["activation"]]
    loss_sum = 0.0
    for t, (x, d) in enumerate(events, start=1):
        a = torch.tensor(x, dtype=torch.float64)
        for l, (w, b) in enumerate(layers):
            z = w @ a + b
            a = out(z) if l == len(layers) - 1 else hidden(z)
        net, y = z[0], a[0]
        loss = loss_of(case, net, y, torch.tensor(d, dtype=torch.float64))
        opt.zero_grad()
        loss.backward()
        loss_sum += loss.item()
        clip = case.get("clipNorm")
        if clip is not None:
            norm = math.sqrt(sum(float((p.grad ** 2).sum()) for p in weights + biases))
            if norm > clip:
                for p in weights + biases:
                    p.grad.mul_(clip / norm)
        if case.get("powerT") is not None:
            for g in opt.param_groups:
                g["lr"] = case["lr"] / t ** case["powerT"]
        opt.step()
    return [{"w": w.tolist(), "b": b.tolist()} for w, b in layers], loss_sum


def events_for(case, rnd):
    events = []
    for _ in range(case["events"]):
        x = [rnd.uniform(-1.5, 1.5) for _ in range(case["features"])]
        s = math.sin(2.0 * x[0]) * (x[-1] if len(x) > 1 else 1.0)
        d = 1.0 / (1.0 + math.exp(-3.0 * s)) if case["loss"] == "logistic" else s
        events.append((x, d))
    return events


CASES = [
    dict(name="tanh-identity-squared-sgd", features=2, hidden=[3], hiddenActivation="tanh",
         activation="identity", loss="squared", optimizer="sgd", lr=0.05, seed=42),
    dict(name="relu-sigmoid-logistic-adam", features=3, hidden=[4, 3], hiddenActivation="relu",
         activation="sigmoid", loss="logistic", optimizer="adam", lr=0.01, seed=7),
    dict(name="tanh-identity-huber-momentum-decay", features=4, hidden=[16, 8],
         hiddenActivation="tanh", activation="identity", loss="huber", huberDelta=0.5,
         optimizer="momentum", lr=0.01, weightDecay=0.01, seed=42),
    dict(name="leaky-tanh-squared-rmsprop-clip", features=2, hidden=[5],
         hiddenActivation="leaky_relu", activation="tanh", loss="squared", optimizer="rmsprop",
         lr=0.005, clipNorm=0.5, seed=3),
    dict(name="sigmoid-identity-squared-adagrad-invscaling", features=1, hidden=[3, 3, 2],
         hiddenActivation="sigmoid", activation="identity", loss="squared",
         optimizer="adagrad", lr=0.1, powerT=0.5, seed=11),
    dict(name="identity-identity-squared-adamw", features=3, hidden=[6],
         hiddenActivation="identity", activation="identity", loss="squared", optimizer="adamw",
         lr=0.01, seed=5),
    dict(name="relu-identity-huber-nesterov-decay", features=2, hidden=[8],
         hiddenActivation="relu", activation="identity", loss="huber", huberDelta=1.0,
         optimizer="nesterov", lr=0.02, weightDecay=0.001, seed=42),
]


def main():
    rnd = random.Random(2026)
    out = []
    for case in CASES:
        case["events"] = 300
        events = events_for(case, rnd)
        layers, loss_sum = run(case, events)
        out.append(dict(case, x=[x for x, _ in events], d=[d for _, d in events],
                        layers=layers, lossSum=loss_sum, torch=torch.__version__))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    main()
