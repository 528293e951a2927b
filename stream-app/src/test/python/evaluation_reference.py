#!/usr/bin/env python3
"""Writes evaluation-reference.json: event streams with a change of teacher half-way, trained with
torch (float64, autograd, torch.optim) as gradstream's neuron is, each sample (the output before
each step, and each served prediction against its later label) judged with sklearn.metrics, and
the drift detectors of the README (Page-Hinkley, DDM) written again here, with their resets.

Independent of gradstream's code. Run with Debian's python3-torch and python3-sklearn:
/usr/bin/python3 evaluation_reference.py > ../resources/evaluation-reference.json
"""
import json
import math
import random

import sklearn
import torch
import torch.nn.functional as F
from sklearn import metrics


class PageHinkley:
    def __init__(self, delta, lam, alpha, m):
        self.delta, self.lam, self.alpha, self.m = delta, lam, alpha, m
        self.start()

    def start(self):
        self.n, self.mean, self.s, self.smin = 0, 0.0, 0.0, 0.0

    def update(self, loss, error):
        self.n += 1
        self.mean += (loss - self.mean) / self.n
        self.s = self.alpha * self.s + (loss - self.mean - self.delta)
        self.smin = min(self.smin, self.s)
        if self.n >= self.m and self.s - self.smin > self.lam:
            self.start()
            return True
        return False


class Ddm:
    def __init__(self, m, k):
        self.m, self.k = m, k
        self.start()

    def start(self):
        self.n, self.p, self.pmin, self.smin = 0, 0.0, math.inf, math.inf

    def update(self, loss, error):
        self.n += 1
        self.p += (error - self.p) / self.n
        s = math.sqrt(self.p * (1 - self.p) / self.n)
        if self.n < self.m:
            return False
        if self.p + s < self.pmin + self.smin:
            self.pmin, self.smin = self.p, s
        if self.p + s > self.pmin + self.k * self.smin:
            self.start()
            return True
        return False


def judge(kind, samples, window):
    """sklearn's metrics of the samples (y, d): all of them, or the last `window`."""
    if window:
        samples = samples[-window:] if window > 0 else samples
    n = len(samples)
    out = {"count": n}
    y = [s[0] for s in samples]
    d = [s[1] for s in samples]
    if kind == "regression":
        if n == 0:
            return dict(out, mae=None, rmse=None, r2=None)
        mean = sum(d) / n
        constant = all(v == d[0] for v in d)
        return dict(out, mae=metrics.mean_absolute_error(d, y),
                    rmse=math.sqrt(metrics.mean_squared_error(d, y)),
                    r2=None if constant else metrics.r2_score(d, y))
    if n == 0:
        res = dict(out, logLoss=None, accuracy=None, brier=None)
        return dict(res, auc=None) if window else res
    res = dict(out, logLoss=metrics.log_loss(d, y, eps=1e-15, labels=[0.0, 1.0]),
               accuracy=metrics.accuracy_score([v >= 0.5 for v in d], [v >= 0.5 for v in y]),
               brier=metrics.brier_score_loss(d, y, pos_label=1.0))
    if window:
        classes = {v >= 0.5 for v in d}
        res["auc"] = (metrics.roc_auc_score([v >= 0.5 for v in d], y) if len(classes) == 2
                      else None)
    return res


def evaluation(kind, pre, served, window):
    out = {"total": judge(kind, pre, 0), "served": {"total": judge(kind, served, 0)}}
    if window:
        out["window"] = judge(kind, pre, window)
        out["served"]["window"] = judge(kind, served, window)
    return out


class Neuron:
    def __init__(self, case):
        self.case = case
        self.start()

    def start(self):
        c = self.case
        self.w = torch.zeros(c["features"], dtype=torch.float64, requires_grad=True)
        self.b = torch.zeros((), dtype=torch.float64, requires_grad=True)
        params = [self.w, self.b]
        if c["optimizer"] == "sgd":
            self.opt = torch.optim.SGD(params, lr=c["lr"])
        else:
            self.opt = torch.optim.Adam(params, lr=c["lr"])

    def forward(self, x):
        net = self.w @ torch.tensor(x, dtype=torch.float64) + self.b
        y = torch.sigmoid(net) if self.case["activation"] == "sigmoid" else net
        return net, y

    def step(self, x, d):
        net, y = self.forward(x)
        dd = torch.tensor(d, dtype=torch.float64)
        loss_kind = self.case["loss"]
        if loss_kind == "squared":
            loss = 0.5 * (dd - y) ** 2
        elif loss_kind == "logistic":
            loss = F.binary_cross_entropy_with_logits(net, dd)
        else:
            loss = F.huber_loss(y, dd, delta=self.case["huberDelta"])
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        return y.item(), loss.item()


def teacher(case, t, x, rnd):
    before = t < case["events"] // 2
    w, b = case["teacher"] if before else case["teacherAfter"]
    s = sum(wi * xi for wi, xi in zip(w, x)) + b
    if case["loss"] == "logistic":
        return 1.0 if rnd.random() < 1.0 / (1.0 + math.exp(-s)) else 0.0
    return s + rnd.gauss(0.0, 0.05)


def run(case, rnd):
    kind = "binary" if case["loss"] == "logistic" else "regression"
    keys = case["keys"]
    models = {k: Neuron(case) for k in keys}
    detectors = {}
    for k in keys:
        if case["drift"] == "page-hinkley":
            detectors[k] = PageHinkley(0.005, case["phThreshold"], 0.9999, 30)
        elif case["drift"] == "ddm":
            detectors[k] = Ddm(30, 3.0)
    pre = {k: [] for k in keys}
    served = {k: [] for k in keys}
    window_start = {k: 0 for k in keys}
    served_start = {k: 0 for k in keys}
    generation = {k: 0 for k in keys}
    drifts = {k: [] for k in keys}
    count = {k: 0 for k in keys}
    all_pre, all_served = [], []
    waiting = {k: [] for k in keys}
    rows, progress = [], []
    trained = 0
    next_id = 0

    def trained_on(k, x, d, served_y):
        nonlocal trained
        y, loss = models[k].step(x, d)
        count[k] += 1
        trained += 1
        pre[k].append((y, d))
        all_pre.append((y, d))
        if served_y is not None:
            served[k].append((served_y, d))
            all_served.append((served_y, d))
        det = detectors.get(k)
        error = 0.0 if (y >= 0.5) == (d >= 0.5) else 1.0
        if det is not None and det.update(loss, error):
            drifts[k].append(count[k])
            if case["onDrift"] == "reset":
                models[k].start()
                generation[k] += 1
                window_start[k] = len(pre[k])
                served_start[k] = len(served[k])

    for t in range(case["events"]):
        k = keys[rnd.randrange(len(keys))]
        x = [round(rnd.uniform(-1.5, 1.5), 6) for _ in range(case["features"])]
        d = teacher(case, t, x, rnd)
        due = [w for w in waiting[k] if w[0] <= t]
        if due:
            _, pid, px, pd, py = due[0]
            waiting[k].remove(due[0])
            rows.append({"key": k, "id": pid, "d": pd})
            trained_on(k, px, pd, py)
        elif rnd.random() < 0.15:
            pid = "p%d" % next_id
            next_id += 1
            with torch.no_grad():
                _, y = models[k].forward(x)
            waiting[k].append((t + rnd.randint(1, 30), pid, x, d, y.item()))
            rows.append({"key": k, "x": x, "id": pid})
        else:
            rows.append({"key": k, "x": x, "d": d})
            trained_on(k, x, d, None)
        if len(rows) % case["progressEvery"] == 0:
            progress.append({"rows": len(rows), "trained": trained,
                             "total": judge(kind, all_pre, 0)})
    w = case["window"]
    expected = {}
    for k in keys:
        expected[k] = {
            "count": count[k], "generation": generation[k], "drifts": drifts[k],
            "evaluation": evaluation(kind, pre[k][window_start[k]:],
                                     served[k][served_start[k]:], w)}
        # the totals go on through resets
        expected[k]["evaluation"]["total"] = judge(kind, pre[k], 0)
        expected[k]["evaluation"]["served"]["total"] = judge(kind, served[k], 0)
    return rows, expected, evaluation(kind, all_pre, all_served, w), progress


CASES = [
    dict(name="squared-sgd-page-hinkley-reset", keys=["r-0", "r-1"], features=2,
         activation="identity", loss="squared", optimizer="sgd", lr=0.05, events=2400,
         teacher=([0.5, -0.3], 0.2), teacherAfter=([-0.7, 0.4], -0.1), drift="page-hinkley",
         phThreshold=1.0, onDrift="reset", window=50, progressEvery=400,
         args=["--features", "2", "--bias", "--activation", "identity", "--learning-rate",
               "0.05", "--drift", "page-hinkley", "--ph-threshold", "1", "--on-drift", "reset",
               "--eval-window", "50", "--progress-every", "400"]),
    dict(name="logistic-adam-ddm-reset", keys=["c-0"], features=2, activation="sigmoid",
         loss="logistic", optimizer="adam", lr=0.05, events=3000,
         teacher=([3.0, -2.0], 0.5), teacherAfter=([-3.0, 2.0], -0.5), drift="ddm",
         onDrift="reset", window=100, progressEvery=500,
         args=["--features", "2", "--bias", "--activation", "sigmoid", "--loss", "logistic",
               "--optimizer", "adam", "--learning-rate", "0.05", "--drift", "ddm",
               "--on-drift", "reset", "--eval-window", "100", "--progress-every", "500"]),
    dict(name="logistic-sgd-page-hinkley-keep-no-window", keys=["k-0", "k-1", "k-2"],
         features=1, activation="sigmoid", loss="logistic", optimizer="sgd", lr=0.3,
         events=1500, teacher=([2.0], 0.0), teacherAfter=([-2.0], 1.0), drift="page-hinkley",
         phThreshold=5.0, onDrift="keep", window=0, progressEvery=300,
         args=["--features", "1", "--bias", "--activation", "sigmoid", "--loss", "logistic",
               "--learning-rate", "0.3", "--drift", "page-hinkley", "--ph-threshold", "5",
               "--eval-window", "0", "--progress-every", "300"]),
    dict(name="huber-sgd-no-drift", keys=["h-0"], features=3, activation="identity",
         loss="huber", huberDelta=0.5, optimizer="sgd", lr=0.05, events=800,
         teacher=([1.0, 0.5, -0.5], 0.0), teacherAfter=([1.0, 0.5, -0.5], 2.0), drift="none",
         onDrift="keep", window=16, progressEvery=200,
         args=["--features", "3", "--bias", "--activation", "identity", "--loss", "huber",
               "--huber-delta", "0.5", "--learning-rate", "0.05", "--eval-window", "16",
               "--progress-every", "200"]),
]


def main():
    rnd = random.Random(2028)
    out = []
    for case in CASES:
        rows, expected, overall, progress = run(case, rnd)
        out.append(dict(name=case["name"], args=case["args"],
                        events=[json.dumps(r) for r in rows], models=expected,
                        evaluation=overall, progress=progress,
                        torch=torch.__version__, sklearn=sklearn.__version__))
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    torch.set_default_dtype(torch.float64)
    main()
