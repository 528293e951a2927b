#!/usr/bin/env python3
"""Writes softmax-torch.json: scores z of K classes (some far from 0, where a naive exp overflows),
a class d each, and torch's float64 softmax(z), cross_entropy(z, d) and its gradient by autograd,
for SoftmaxTest to hold gradstream's output layer against. Run with Debian's python3-torch:
/usr/bin/python3 softmax_reference.py > ../resources/softmax-torch.json
"""
import json
import random

import torch
import torch.nn.functional as F


def main():
    rnd = random.Random(29)
    cases = []
    for k in (2, 3, 4, 10):
        for scale in (1.0, 30.0, 1000.0):
            for _ in range(4):
                z = torch.tensor([rnd.gauss(0.0, scale) for _ in range(k)], dtype=torch.float64,
                                 requires_grad=True)
                d = rnd.randrange(k)
                loss = F.cross_entropy(z.unsqueeze(0), torch.tensor([d]))
                loss.backward()
                cases.append({"z": z.tolist(), "d": d,
                              "p": torch.softmax(z, 0).tolist(),
                              "loss": loss.item(), "gradient": z.grad.tolist()})
    print(json.dumps({"torch": torch.__version__, "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
