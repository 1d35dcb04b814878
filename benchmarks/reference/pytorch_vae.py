"""PyTorch reference for genzoo's VAE recipes: the same network, optimizer, batch size, epochs and data
protocol, so genzoo's test -log p(x) can be compared with a carefully written PyTorch implementation.

Data protocol (as in genzoo's recipes): Fashion-MNIST intensities in [0, 1]; training batches are
binarized dynamically (a fresh Bernoulli draw per batch), the test set once with a fixed seed.
Model: q(z|x) = N(mu(x), diag sigma^2(x)) from an MLP 784-h1-h2-(2z), p(z) = N(0, I), Bernoulli p(x|z) from
the mirror MLP. Objective: the k-sample importance-weighted bound (k = 1 is the ELBO; Burda et al. 2016).
Evaluation: log p(x) ~ log (1/K) sum_k p(x, z_k) / q(z_k | x) with K importance samples.

Prints one JSON object on its last stdout line.
"""
import argparse
import gzip
import json
import math
import os
import resource
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, n, rows, cols = np.frombuffer(data[:16], dtype=">i4")
    assert magic == 2051, f"{path}: bad magic {magic}"
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(n, rows * cols).astype(np.float32) / 255.0


class VAE(nn.Module):
    def __init__(self, hidden, latent):
        super().__init__()
        sizes = [784, *hidden]
        enc = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            enc += [nn.Linear(a, b), nn.ReLU()]
        self.encoder = nn.Sequential(*enc, nn.Linear(sizes[-1], 2 * latent))
        rev = [latent, *reversed(hidden)]
        dec = []
        for a, b in zip(rev[:-1], rev[1:]):
            dec += [nn.Linear(a, b), nn.ReLU()]
        self.decoder = nn.Sequential(*dec, nn.Linear(rev[-1], 784))
        self.latent = latent

    def log_weights(self, x, k):
        """log p(x, z_k) - log q(z_k | x) for k reparameterized samples: shape [k, batch]."""
        h = self.encoder(x)
        mu, log_sigma = h[:, : self.latent], h[:, self.latent :]
        sigma = torch.exp(log_sigma)
        eps = torch.randn(k, *mu.shape, device=x.device)
        z = mu + sigma * eps
        log_q = (-0.5 * eps**2 - log_sigma - 0.5 * math.log(2 * math.pi)).sum(-1)
        log_pz = (-0.5 * z**2 - 0.5 * math.log(2 * math.pi)).sum(-1)
        logits = self.decoder(z)
        log_px = -F.binary_cross_entropy_with_logits(logits, x.expand(k, *x.shape), reduction="none").sum(-1)
        return log_px + log_pz - log_q


def bound(log_w):
    return torch.logsumexp(log_w, 0) - math.log(log_w.shape[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--hidden", default="512,256")
    p.add_argument("--latent", type=int, default=20)
    p.add_argument("--k", type=int, default=1)
    p.add_argument("--epochs", type=float, default=10)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--train-limit", type=int, default=0)
    p.add_argument("--eval-limit", type=int, default=1000, help="test images to evaluate (0: all)")
    p.add_argument(
        "--test-file",
        default="",
        help="the binarized test set as raw bytes (0/1, one row of 784 per image), e.g. genzoo's own",
    )
    p.add_argument(
        "--test-format",
        choices=["binary"],
        default="binary",
        help="what the test file's bytes are (benchmarks/reference/pytorch.mjs passes it; binary only here)",
    )
    p.add_argument("--eval-samples", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="CPU threads (0: one per core)")
    p.add_argument("--recipe", default="", help="the genzoo recipe this run reproduces (for the results table)")
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads or max(1, os.cpu_count() or 1))
    train = read_idx_images(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    test = read_idx_images(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))
    if a.train_limit:
        train = train[: a.train_limit]
    if a.test_file:
        # The very images genzoo evaluates on, binarized by @genzoo/datasets (binarize seed 0).
        raw = np.fromfile(a.test_file, dtype=np.uint8)
        assert raw.size == test.size, f"{a.test_file}: {raw.size} bytes, expected {test.size}"
        test_bin = torch.from_numpy(raw.reshape(test.shape).astype(np.float32))
    else:
        rng = np.random.default_rng(0)
        test_bin = torch.from_numpy((rng.random(test.shape) < test).astype(np.float32))
    if a.eval_limit:
        test_bin = test_bin[: a.eval_limit]
    train_t = torch.from_numpy(train)

    model = VAE([int(h) for h in a.hidden.split(",")], a.latent)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = len(train) // a.batch
    total = int(math.ceil(a.epochs * steps_per_epoch))
    start = time.time()
    step = 0
    while step < total:
        perm = torch.randperm(len(train))
        for i in range(steps_per_epoch):
            if step >= total:
                break
            x = torch.bernoulli(train_t[perm[i * a.batch : (i + 1) * a.batch]])
            loss = -bound(model.log_weights(x, a.k)).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
    seconds = time.time() - start

    with torch.no_grad():
        nll, elbo = [], []
        for i in range(0, len(test_bin), 100):
            x = test_bin[i : i + 100]
            chunks = [model.log_weights(x, min(500, a.eval_samples - j)) for j in range(0, a.eval_samples, 500)]
            nll.append(-bound(torch.cat(chunks, 0)))
            elbo.append(model.log_weights(x, 1)[0])
        nll = torch.cat(nll).mean().item()
        elbo = torch.cat(elbo).mean().item()
    print(
        json.dumps(
            {
                "rows": [
                    {
                        "model": f"pytorch reference (k={a.k})",
                        "recipe": a.recipe,
                        "dataset": f"fashion-mnist (first {len(test_bin)} test images, K = {a.eval_samples})",
                        "metric": "nll_nats",
                        "value": nll,
                        "nll_nats": nll,
                        "bits_per_dim": nll / (784 * math.log(2)),
                        "elbo": elbo,
                        "examples_per_second": step * a.batch / seconds,
                        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "seconds": seconds,
                        "steps": step,
                        "backend": f"pytorch {torch.__version__} cpu, {torch.get_num_threads()} thread(s)",
                    }
                ]
            }
        )
    )


if __name__ == "__main__":
    main()
