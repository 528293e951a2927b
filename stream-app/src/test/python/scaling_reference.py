#!/usr/bin/env python3
"""Writes scaling-reference.json: streams whose numbers are standardized per model as the README
defines --scale standard, hashed by scikit-learn and trained by torch (float64, autograd,
torch.optim), for ScaledReplayTest to hold gradstream's scaling against.

Independent of gradstream's code: a model's mean and population variance of a feature are
computed in two passes over the values of that feature in the model's training events so far,
the event's own included (numpy); an event's number v becomes (v - mean)/sqrt(var), or 0 when the
variance is 0; booleans and categories are never scaled; an interaction takes the scaled values.
The vectors are FeatureHasher(n_features=2**18, input_type="pair", alternate_sign=True) of the
terms; the networks start from the README's SplitMix64 Glorot rule (network_reference.py). Run
with Debian's python3-sklearn and python3-torch:
/usr/bin/python3 scaling_reference.py > ../resources/scaling-reference.json
"""
import json
import math
import random

import numpy as np
import torch
from sklearn.feature_extraction import FeatureHasher

from network_reference import glorot

BITS = 18
INTERACTIONS = [["amount", "returning"], ["country", "device"]]


def standardized(history, v):
    values = np.array(history, dtype=np.float64)
    mean = values.sum() / len(values)
    var = ((values - mean) ** 2).sum() / len(values)
    return 0.0 if var == 0 else float((v - mean) / math.sqrt(var))


def terms(features, seen):
    """The event's terms, its numbers scaled with the moments of seen (which it updates)."""
    out, term = [], {}
    for name, v in features.items():
        if v is None:
            continue
        if isinstance(v, bool):
            t = (name, 1.0 if v else 0.0)
        elif isinstance(v, str):
            t = (name + "=" + v, 1.0)
        else:
            seen.setdefault(name, []).append(float(v))
            t = (name, standardized(seen[name], float(v)))
        term[name] = t
        out.append(t)
    for a, b in INTERACTIONS:
        if a in term and b in term:
            out.append((term[a][0] + "^" + term[b][0], term[a][1] * term[b][1]))
    return out


def hashed_stream(rng):
    countries = ["DE", "FR", "US", "JP"]
    devices = ["ios", "android", "web"]
    hasher = FeatureHasher(n_features=2 ** BITS, input_type="pair", alternate_sign=True)
    seen = {}
    events = []
    for i in range(300):
        key = "k" + str(i % 3)
        features = {
            "amount": round(rng.uniform(0, 500), 2) if i % 4 else None,
            "age": rng.randint(18, 90),
            "country": rng.choice(countries),
            "device": rng.choice(devices),
            "returning": rng.random() < 0.5,
        }
        if i % 6 == 0:
            del features["device"]
        d = (0.004 * (features["amount"] or 0) + (features["country"] == "DE")
             - 0.5 * features["returning"] + 0.01 * features["age"] + rng.gauss(0, 0.1))
        clicked = 1.0 if (features["returning"] and rng.random() < 0.8) or rng.random() < 0.2 \
            else 0.0
        row = hasher.transform([terms(features, seen.setdefault(key, {}))]).tocsr()
        row.sum_duplicates()
        events.append({"key": key, "features": features, "d": round(d, 6), "clicked": clicked,
                       "vector": [[j, v] for j, v in zip(row.indices.tolist(),
                                                         row.data.tolist()) if v != 0]})
    return events


def torch_sgd_squared(events, lr):
    """One identity neuron with a bias per key, 0.5 (y - d)^2, torch.optim.SGD on 2^18 inputs."""
    models = {}
    for e in events:
        if e["key"] not in models:
            w = torch.zeros(2 ** BITS, dtype=torch.float64, requires_grad=True)
            b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
            models[e["key"]] = (w, b, torch.optim.SGD([w, b], lr=lr))
        w, b, opt = models[e["key"]]
        x = torch.zeros(2 ** BITS, dtype=torch.float64)
        for j, v in e["vector"]:
            x[j] = v
        loss = 0.5 * (w @ x + b[0] - e["d"]) ** 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    out = {}
    for key, (w, b, _) in models.items():
        nz = torch.nonzero(w).flatten().tolist()
        out[key] = {"w": {str(j): w[j].item() for j in nz}, "b": b[0].item()}
    return out


def dense_case(rng):
    """A network on x = (amount, age, noise) scaled by coordinate per key, Adam, torch."""
    case = dict(features=3, hidden=[4], hiddenActivation="tanh", activation="identity",
                loss="squared", optimizer="adam", lr=0.01, seed=7)
    events = []
    for i in range(240):
        x = [round(rng.uniform(0, 500), 2), float(rng.randint(18, 90)), rng.gauss(0, 1)]
        d = math.sin(x[0] / 100.0) + 0.02 * (x[1] - 50) + 0.1 * x[2]
        events.append({"key": "k" + str(i % 2), "x": x, "d": d})
    models = {}
    for key in ["k0", "k1"]:
        layers = glorot([3, 4, 1], case["seed"])
        params = [p for layer in layers for p in layer]
        opt = torch.optim.Adam(params, lr=case["lr"])
        seen = [[], [], []]
        for e in [e for e in events if e["key"] == key]:
            scaled = []
            for i, v in enumerate(e["x"]):
                seen[i].append(v)
                scaled.append(standardized(seen[i], v))
            (w1, b1), (w2, b2) = layers
            y = (w2 @ torch.tanh(w1 @ torch.tensor(scaled) + b1) + b2)[0]
            loss = 0.5 * (y - e["d"]) ** 2
            opt.zero_grad()
            loss.backward()
            opt.step()
        models[key] = [{"w": w.tolist(), "b": b.tolist()} for w, b in layers]
    return dict(case, events=events, models=models)


def main():
    torch.set_default_dtype(torch.float64)
    rng = random.Random(2027)
    events = hashed_stream(rng)
    lr = 0.02
    print(json.dumps({
        "hashed": {"bits": BITS, "interactions": INTERACTIONS, "events": events,
                   "sgdSquared": {"lr": lr, "models": torch_sgd_squared(events, lr)}},
        "dense": dense_case(rng),
        "torch": torch.__version__,
    }, indent=1, ensure_ascii=False))


main()
