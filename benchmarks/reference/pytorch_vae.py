"""PyTorch reference for genzoo's VAE recipes: the same network, optimizer, batch size, epochs and data
protocol, so genzoo's test -log p(x) can be compared with a carefully written PyTorch implementation.

Data protocol (as in genzoo's recipes): Fashion-MNIST intensities in [0, 1]; training batches are
binarized dynamically (a fresh Bernoulli draw per batch), the test set once with a fixed seed.
Model: q(z|x) = N(mu(x), diag sigma^2(x)) from an MLP 784-h1-h2-(2z), p(z) = N(0, I), Bernoulli p(x|z) from
the mirror MLP; or, with --network conv, genzoo's conv network (packages/vae/src/common/networks/conv.ts):
stride-2 'same' convolutions (--channels, --kernel-size; TensorFlow's padding, which for an even size pads
only the bottom/right) -> flatten -> dense (--hidden, then 2z), and the mirror decoder dense -> ReLU ->
reshape [c_n, H/2^n, W/2^n] -> stride-2 'same' transposed convolutions (ReLU between them) -> logits.
The flatten is PyTorch's NCHW order where genzoo's is NHWC: a fixed permutation of the dense weights'
rows, the same parameters and cost. Objective: the k-sample importance-weighted bound (k = 1 is the ELBO; Burda et al. 2016).
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
from blas import blas_info


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


def tf_same_pads(size, kernel, stride):
    """TensorFlow's 'same' padding of one axis: (before, after), the odd pixel after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class ConvEncoder(nn.Module):
    """genzoo's ConvEncoder: [conv(stride 2, 'same') -> ReLU]*n -> flatten -> MLP(hidden..., outputs)."""

    def __init__(self, channels, kernel, hidden, outputs, image=(1, 28, 28)):
        super().__init__()
        c, h, w = image
        self.image, self.kernel, self.pads = image, kernel, []
        convs = []
        for out in channels:
            ph, pw = tf_same_pads(h, kernel, 2), tf_same_pads(w, kernel, 2)
            self.pads.append((pw[0], pw[1], ph[0], ph[1]))  # F.pad order: left, right, top, bottom
            convs.append(nn.Conv2d(c, out, kernel, stride=2))
            c, h, w = out, -(-h // 2), -(-w // 2)
        self.convs = nn.ModuleList(convs)
        sizes = [c * h * w, *hidden, outputs]
        layers = []
        for i, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers += [nn.Linear(a, b)] + ([nn.ReLU()] if i < len(sizes) - 2 else [])
        self.head = nn.Sequential(*layers)

    def forward(self, x):
        h = x.view(x.shape[0], *self.image)
        for conv, pad in zip(self.convs, self.pads):
            h = F.relu(conv(F.pad(h, pad)))
        return self.head(h.flatten(1))


class ConvDecoder(nn.Module):
    """genzoo's ConvDecoder: MLP(z, reversed hidden..., c_n*H'*W') -> ReLU -> reshape -> [convT(stride 2,
    'same') -> ReLU]*(n-1) -> convT to the image's channels (logits), flattened."""

    def __init__(self, channels, kernel, hidden, latent, image=(1, 28, 28)):
        super().__init__()
        c, h, w = image
        factor = 2 ** len(channels)
        assert h % factor == 0 and w % factor == 0, f"{h}x{w} is not divisible by {factor}"
        self.start = (channels[-1], h // factor, w // factor)
        sizes = [latent, *reversed(hidden), channels[-1] * (h // factor) * (w // factor)]
        layers = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            layers += [nn.Linear(a, b), nn.ReLU()]  # ReLU after the stem's last layer too, as genzoo
        self.stem = nn.Sequential(*layers)
        mirrored = list(reversed(channels))
        targets = [*mirrored[1:], c]
        # TensorFlow's transposed 'same' convolution is the gradient of the 'same' convolution from the
        # doubled size: the full transposed convolution (size 2s - 2 + kernel), less the padding that
        # convolution added (before, after), cropped here.
        self.deconvs = nn.ModuleList(nn.ConvTranspose2d(a, b, kernel, stride=2) for a, b in zip(mirrored, targets))
        self.crops = []
        sh, sw = self.start[1:]
        for _ in mirrored:
            sh, sw = 2 * sh, 2 * sw
            self.crops.append((tf_same_pads(sh, kernel, 2), tf_same_pads(sw, kernel, 2), sh, sw))

    def forward(self, z):
        lead = z.shape[:-1]
        h = self.stem(z.reshape(-1, z.shape[-1])).view(-1, *self.start)
        for i, (deconv, ((top, _), (left, _), sh, sw)) in enumerate(zip(self.deconvs, self.crops)):
            h = deconv(h)[:, :, top : top + sh, left : left + sw]
            if i < len(self.deconvs) - 1:
                h = F.relu(h)
        return h.reshape(*lead, -1)


class ConvVAE(VAE):
    def __init__(self, channels, kernel, hidden, latent):
        nn.Module.__init__(self)
        self.encoder = ConvEncoder(channels, kernel, hidden, 2 * latent)
        self.decoder = ConvDecoder(channels, kernel, hidden, latent)
        self.latent = latent


def bound(log_w):
    return torch.logsumexp(log_w, 0) - math.log(log_w.shape[0])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--network", choices=["mlp", "conv"], default="mlp")
    p.add_argument("--hidden", default="512,256", help="dense layers (conv: between the features and 2z)")
    p.add_argument("--channels", default="32,64", help="conv: the stride-2 convolutions' output channels")
    p.add_argument("--kernel-size", type=int, default=3, help="conv: the kernel size")
    p.add_argument("--activation", choices=["relu"], default="relu")
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
    p.add_argument("--max-steps", type=int, default=0, help="stop training after N steps (0: the epochs)")
    p.add_argument(
        "--warmup-steps",
        type=int,
        default=0,
        help="steps trained before the clock starts (examples_per_second counts the steps after them)",
    )
    p.add_argument("--dry-run", action="store_true", help="check the flags, build the model, print its size")
    a = p.parse_args()
    hidden = [int(h) for h in a.hidden.split(",") if h]
    if a.network == "conv":
        model = ConvVAE([int(c) for c in a.channels.split(",") if c], a.kernel_size, hidden, a.latent)
    else:
        model = VAE(hidden, a.latent)
    n_params = sum(q.numel() for q in model.parameters())
    if a.dry_run:
        print(json.dumps({"ok": True, "network": a.network, "parameters": n_params}))
        return
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

    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = len(train) // a.batch
    total = int(math.ceil(a.epochs * steps_per_epoch))
    if a.max_steps:
        total = min(total, a.max_steps)
    warmup = min(a.warmup_steps, max(total - 1, 0))
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
            if step == warmup:
                start = time.time()
    seconds = time.time() - start
    timed = step - warmup

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
                        "examples_per_second": timed * a.batch / seconds,
                        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                        "seconds": seconds,
                        "steps": step,
                        "warmup_steps": warmup,
                        "parameters": n_params,
                        "network": a.network,
                        "backend": f"pytorch {torch.__version__} cpu, {torch.get_num_threads()} thread(s)",
                        "threads": torch.get_num_threads(),
                        "torch": torch.__version__,
                        "blas": blas_info(),
                    }
                ]
            }
        )
    )


if __name__ == "__main__":
    main()
