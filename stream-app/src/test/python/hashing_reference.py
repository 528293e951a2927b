#!/usr/bin/env python3
"""Writes hashing-sklearn.json: MurmurHash3_x86_32 values and FeatureHasher vectors computed by
scikit-learn, for the hashing tests to hold gradstream's feature hashing against.

Independent of gradstream's code: the hashes are sklearn.utils.murmurhash3_32 (signed, over the
UTF-8 bytes); the vectors are FeatureHasher(n_features=2**B, input_type="pair",
alternate_sign=True) applied to the terms the README defines for named features: a number or a
boolean gives (name, value), a string gives ("name=value", 1), an interaction a:b gives
("ta^tb", va*vb). Run with Debian's python3-sklearn:
/usr/bin/python3 hashing_reference.py > ../resources/hashing-sklearn.json
"""
import json
import random

from sklearn.feature_extraction import FeatureHasher
from sklearn.utils import murmurhash3_32

STRINGS = ["", "a", "ab", "abc", "abcd", "abcde", "Hello, world!", "country=DE",
           "amount", "amount^country=DE", "The quick brown fox jumps over the lazy dog",
           "Zürich", "東京", "emoji=\U0001F600", "device=ios^returning", "x" * 1000]


def terms(features, interactions):
    """The (name, value) pairs of an event, as the README defines them."""
    out = []
    term = {}
    for name, v in features.items():
        if v is None:
            continue
        if isinstance(v, bool):
            t = (name, 1.0 if v else 0.0)
        elif isinstance(v, str):
            t = (name + "=" + v, 1.0)
        else:
            t = (name, float(v))
        term[name] = t
        out.append(t)
    for a, b in interactions:
        if a in term and b in term:
            out.append((term[a][0] + "^" + term[b][0], term[a][1] * term[b][1]))
    return out


def main():
    rng = random.Random(7)
    cases = []
    countries = ["DE", "FR", "US", "JP", "BR", "Zürich", "東京"]
    devices = ["ios", "android", "web"]
    for bits in [1, 4, 10, 18, 24]:
        for i in range(6):
            features = {
                "amount": round(rng.uniform(-50, 500), 3),
                "country": rng.choice(countries),
                "device": rng.choice(devices),
                "returning": rng.random() < 0.5,
                "age": None if i % 3 == 0 else rng.randint(18, 90),
                "zip": str(rng.randint(10000, 99999)),
            }
            interactions = [["country", "device"], ["amount", "returning"]] if i % 2 else []
            pairs = terms(features, interactions)
            hasher = FeatureHasher(n_features=2 ** bits, input_type="pair", alternate_sign=True)
            row = hasher.transform([pairs]).tocsr()
            row.sum_duplicates()
            vector = {str(j): v for j, v in zip(row.indices.tolist(), row.data.tolist()) if v != 0}
            cases.append({"bits": bits, "features": features, "interactions": interactions,
                          "terms": [[n, v] for n, v in pairs], "vector": vector})
    hashes = [{"text": s, "seed": seed, "hash": murmurhash3_32(s, seed=seed)}
              for s in STRINGS for seed in [0, 1, 0x9747B28C]]
    # a stream to train on: three keys, a click-like label, each event's vector as sklearn hashes
    # it at 18 bits with two interactions
    stream = []
    interactions = [["country", "device"], ["amount", "returning"]]
    hasher = FeatureHasher(n_features=2 ** 18, input_type="pair", alternate_sign=True)
    for i in range(300):
        features = {
            "amount": round(rng.uniform(0, 5), 3),
            "country": rng.choice(countries),
            "device": rng.choice(devices),
            "returning": rng.random() < 0.5,
            "age": None if i % 5 == 0 else rng.randint(18, 90),
        }
        if i % 7 == 0:
            del features["device"]
        clicked = features.get("device") == "ios" or features["returning"]
        d = 1.0 if (clicked and rng.random() < 0.8) or rng.random() < 0.1 else 0.0
        row = hasher.transform([terms(features, interactions)]).tocsr()
        row.sum_duplicates()
        stream.append({"key": "k" + str(i % 3), "features": features, "d": d,
                       "vector": [[j, v] for j, v in zip(row.indices.tolist(),
                                                         row.data.tolist()) if v != 0]})
    print(json.dumps({"hashes": hashes, "cases": cases,
                      "stream": {"bits": 18, "interactions": interactions, "events": stream}},
                     indent=1, ensure_ascii=False))


main()
