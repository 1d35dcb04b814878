"""PyTorch reference for genzoo's NVAE recipe (packages/vae/src/nvae): the same network, objective,
optimizer, batch size, steps and data protocol, so genzoo's test -log p(x) can be compared with a PyTorch
implementation of the same model.

Model (Vahdat & Kautz 2020), as genzoo builds it with the recipe's config: a stride-2 stem, a bottom-up
tower of encoder cells (BN-Swish-conv3x3-BN-Swish-conv3x3-SE) with `groups` groups per scale at 14x14 and
7x7 (channels 2c, 4c), a top-down tower of generative cells (BN-conv1x1-BN-Swish-dw5x5-BN-Swish-conv1x1-
BN-SE, expansion E) from a learned map, residual-normal posteriors q = N(mu_p + dmu, sigma_p * dsigma),
prior and posterior heads initialized at zero, mu and log sigma soft-clamped by 5 tanh(./5), a stride-2
transposed convolution to Bernoulli logits. Objective: log p(x|z) - sum_l KL_l (analytic, per group),
KL warm-up and KL balancing (gamma_l ~ size_l * (mean KL_l + 0.01), mean 1) while beta < 1.
Evaluation (BatchNorm in eval mode): the ELBO with one draw and log p(x) ~ log (1/K) sum_k p(x, z_k)/q(z_k|x).
The stride-2 3x3 convolutions pad as genzoo's (TensorFlow's 'same', StridedConv). equivalence.py checks
that this model with genzoo's weights, batch and draws (NVAE.forward's `noise`) computes genzoo's training
step: every group's prior and posterior, the KLs, log p(x|z), the loss, the gradients and Adam.

Data: the training split's grey levels (binarized afresh for every batch) and genzoo's own binarized test
split, both written by benchmarks/reference/pytorch.mjs. Prints one JSON object on its last stdout line.
"""
import argparse
import json
import math
import resource

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from pytorch_vqvae import backend, images, read_u8, set_up_torch, train_with_adam


def soft_clamp(x):
    return 5.0 * torch.tanh(x / 5.0)


def swish(x):
    return x * torch.sigmoid(x)


class StridedConv(nn.Conv2d):
    """A 3x3 convolution with stride 2 and genzoo's (TensorFlow's) 'same' padding: of the total padding
    (ceil(n/2) - 1) * 2 + 3 - n of a side n, half (rounded down) before and the rest after; on an even side
    that is one row (column) after and none before, where PyTorch's padding=1 pads both sides and shifts
    every output by one input pixel."""

    def __init__(self, cin, cout):
        super().__init__(cin, cout, 3, 2, 0)

    def forward(self, x):
        pads = []
        for n in (x.shape[3], x.shape[2]):
            total = max((n + 1) // 2 * 2 + 1 - n, 0)
            pads += [total // 2, total - total // 2]
        return super().forward(F.pad(x, pads))


class SE(nn.Module):
    def __init__(self, c, r):
        super().__init__()
        h = max(c // r, 4)
        self.squeeze = nn.Linear(c, h)
        self.excite = nn.Linear(h, c)

    def forward(self, x):
        g = torch.sigmoid(self.excite(F.relu(self.squeeze(x.mean((2, 3))))))
        return x * g[:, :, None, None]


class EncoderCell(nn.Module):
    def __init__(self, c, down, r):
        super().__init__()
        out = 2 * c if down else c
        self.bn1 = nn.BatchNorm2d(c)
        self.conv1 = StridedConv(c, out) if down else nn.Conv2d(c, out, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(out)
        self.conv2 = nn.Conv2d(out, out, 3, 1, 1)
        self.se = SE(out, r)
        self.skip = nn.Conv2d(c, out, 1, 2) if down else None

    def forward(self, x):
        h = self.conv1(swish(self.bn1(x)))
        h = self.se(self.conv2(swish(self.bn2(h))))
        return (self.skip(x) if self.skip is not None else x) + h


class GenerativeCell(nn.Module):
    def __init__(self, c, expansion, up, r):
        super().__init__()
        out = c // 2 if up else c
        wide = expansion * out
        self.up = up
        self.bn0 = nn.BatchNorm2d(c)
        self.expand = nn.Conv2d(c, wide, 1)
        self.bn1 = nn.BatchNorm2d(wide)
        self.depthwise = nn.Conv2d(wide, wide, 5, 1, 2, groups=wide, bias=False)
        self.bn2 = nn.BatchNorm2d(wide)
        self.project = nn.Conv2d(wide, out, 1)
        self.bn3 = nn.BatchNorm2d(out)
        self.se = SE(out, r)
        self.skip = nn.Conv2d(c, out, 1) if up else None

    def forward(self, x):
        if self.up:
            x = F.interpolate(x, scale_factor=2, mode="nearest")
        h = self.expand(self.bn0(x))
        h = swish(self.bn1(h))
        h = swish(self.bn2(self.depthwise(h)))
        h = self.se(self.bn3(self.project(h)))
        return (self.skip(x) if self.skip is not None else x) + h


def zero_conv(cin, cout):
    conv = nn.Conv2d(cin, cout, 3, 1, 1)
    nn.init.zeros_(conv.weight)
    nn.init.zeros_(conv.bias)
    return conv


class NVAE(nn.Module):
    """Two scales (14x14 and 7x7 for 28x28 digits), `groups` groups per scale, one cell per group."""

    def __init__(self, channels, groups, latent, expansion, r):
        super().__init__()
        c0, c1 = 2 * channels, 4 * channels
        self.latent = latent
        self.stem = StridedConv(1, c0)
        self.enc = nn.ModuleList(
            [EncoderCell(c0, False, r) for _ in range(groups)] + [EncoderCell(c1, False, r) for _ in range(groups)]
        )
        self.down = EncoderCell(c0, True, r)
        self.groups_per_scale = groups
        self.enc_top = nn.Conv2d(c1, c1, 1)
        # Top-down, coarsest scale first.
        self.shapes = []
        self.dec_cells = nn.ModuleList()
        self.post_heads = nn.ModuleList()
        self.enc_comb = nn.ModuleList()
        self.prior_heads = nn.ModuleList()
        self.dec_comb = nn.ModuleList()
        for s, (c, side) in enumerate([(c1, 7), (c0, 14)]):
            for g in range(groups):
                l = len(self.shapes)
                self.shapes.append((latent, side, side))
                cells = []
                if l > 0:
                    if g == 0:
                        cells.append(GenerativeCell(2 * c, expansion, True, r))
                    cells.append(GenerativeCell(c, expansion, False, r))
                self.dec_cells.append(nn.ModuleList(cells))
                self.post_heads.append(zero_conv(c, 2 * latent))
                self.enc_comb.append(nn.Conv2d(c, c, 1) if l > 0 else nn.Identity())
                self.prior_heads.append(zero_conv(c, 2 * latent) if l > 0 else nn.Identity())
                self.dec_comb.append(nn.Conv2d(c + latent, c, 1))
        self.h = nn.Parameter(0.1 * torch.randn(1, c1, 7, 7))
        self.output = nn.ConvTranspose2d(c0, 1, 4, 2, 1)

    def bottom_up(self, x):
        h = self.stem(2 * x - 1)
        features = []
        for i, cell in enumerate(self.enc):
            h = cell(h)
            features.append(h)
            if i == self.groups_per_scale - 1:
                h = self.down(h)
        features[-1] = F.elu(self.enc_top(F.elu(h)))
        return features[::-1]

    def forward(self, x, samples=1, noise=None, trace=None):
        """log p(x|z) [S, B], per-group KL [S, B, L], log p(z) - log q(z|x) [S, B] for S draws per example.
        noise: each group's standard normal draw eps_l [S*B, latent, side, side] of z_l = mu_q + sigma_q eps_l
        (default: torch.randn_like; equivalence.py gives genzoo's); trace: a list that gets each group's
        {"mu_p", "log_p", "mu_q", "log_q", "z"} appended."""
        b = x.shape[0]
        features = self.bottom_up(x)
        rows = samples * b
        state = self.h.expand(rows, -1, -1, -1)
        kls, log_ratio = [], 0
        for l, shape in enumerate(self.shapes):
            for cell in self.dec_cells[l]:
                state = cell(state)
            if l == 0:
                mu_p = torch.zeros(rows, *shape)
                log_p = torch.zeros(rows, *shape)
            else:
                mu_p, log_p = soft_clamp(self.prior_heads[l](F.elu(state))).chunk(2, 1)
            e = features[l].repeat(samples, 1, 1, 1)
            combined = e if l == 0 else e + self.enc_comb[l](state)
            d_mu, d_log = soft_clamp(self.post_heads[l](combined)).chunk(2, 1)
            mu_q, log_q = mu_p + d_mu, log_p + d_log
            z = mu_q + torch.exp(log_q) * (torch.randn_like(mu_q) if noise is None else noise[l])
            if trace is not None:
                trace.append({"mu_p": mu_p, "log_p": log_p, "mu_q": mu_q, "log_q": log_q, "z": z})
            kl = log_p - log_q + 0.5 * (torch.exp(2 * (log_q - log_p)) + ((mu_q - mu_p) / torch.exp(log_p)) ** 2) - 0.5
            kls.append(kl.flatten(1).sum(1))
            lp = (-0.5 * ((z - mu_p) / torch.exp(log_p)) ** 2 - log_p).flatten(1).sum(1)
            lq = (-0.5 * ((z - mu_q) / torch.exp(log_q)) ** 2 - log_q).flatten(1).sum(1)
            log_ratio = log_ratio + lp - lq
            state = self.dec_comb[l](torch.cat([state, z], 1))
        logits = self.output(F.elu(state))
        target = x.repeat(samples, 1, 1, 1)
        log_px = -F.binary_cross_entropy_with_logits(logits, target, reduction="none").flatten(1).sum(1)
        shape = (samples, b)
        return log_px.view(shape), torch.stack(kls, 1).view(*shape, -1), log_ratio.view(shape)


def training_loss(model, x, sizes, step, warmup, noise=None, trace=None):
    """The training loss of 0-based step `step` on a binary batch x [B, 1, 28, 28]: -(mean log p(x|z) -
    beta sum_l gamma_l mean KL_l), beta = min(1, step / warmup) the KL warm-up and, while beta < 1, KL
    balancing gamma_l ~ size_l * (mean KL_l + 0.01), mean 1, held constant (sizes: each group's latent
    variables); gamma_l = 1 after. Returns (loss, terms): log_px [B], kl [B, L], gamma [L], beta, elbo.
    noise, trace: see NVAE.forward."""
    log_px, kl, _ = model(x, noise=noise, trace=trace)
    log_px, kl = log_px[0], kl[0]  # [B], [B, L]
    beta = min(1.0, step / warmup) if warmup > 0 else 1.0
    per_group = kl.mean(0)
    gamma = torch.ones_like(per_group)
    if beta < 1:
        gamma = sizes * (kl.detach().abs().mean(0) + 0.01)
        gamma = gamma / gamma.mean()
    loss = beta * (gamma * per_group).sum() - log_px.mean()
    elbo = log_px.mean() - per_group.sum()
    return loss, {"log_px": log_px, "kl": kl, "gamma": gamma, "beta": beta, "elbo": elbo}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train-file", default="", help="training grey levels, one byte per pixel (k/255)")
    p.add_argument("--train-format", choices=["u8"], default="u8")
    p.add_argument("--test-file", default="", help="genzoo's binarized test split, one byte (0/1) per pixel")
    p.add_argument("--test-format", choices=["binary"], default="binary")
    p.add_argument("--channels", type=int, default=8)
    p.add_argument("--groups", type=int, default=2)
    p.add_argument("--latent", type=int, default=4)
    p.add_argument("--expansion", type=int, default=3)
    p.add_argument("--se-reduction", type=int, default=4)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--epochs", type=float, default=1)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--eval-limit", type=int, default=1000)
    p.add_argument("--eval-samples", type=int, default=20)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--recipe", default="nvae/mnist-10k")
    p.add_argument("--dry-run", action="store_true", help="build the model and exit")
    a = p.parse_args()
    if a.dry_run:
        model = NVAE(a.channels, a.groups, a.latent, a.expansion, a.se_reduction)
        print(json.dumps({"dry_run": True, "parameters": sum(q.numel() for q in model.parameters())}))
        return
    gen = set_up_torch(a)
    train = images(read_u8(a.train_file, 784).float() / 255.0, (28, 28, 1))
    test = images(read_u8(a.test_file, 784).float(), (28, 28, 1))
    if a.eval_limit:
        test = test[: a.eval_limit]

    model = NVAE(a.channels, a.groups, a.latent, a.expansion, a.se_reduction)
    sizes = torch.tensor([float(np.prod(s)) for s in model.shapes])
    # Full batches only, as genzoo's Trainer draws them: 140 steps of 64 per epoch of 9000.
    steps = int(a.epochs * (len(train) // a.batch))

    def step_loss(rows, step):
        loss, terms = training_loss(model, torch.bernoulli(train[rows]), sizes, step, a.warmup)
        elbo, beta = terms["elbo"].item(), terms["beta"]
        return loss, lambda: f"elbo {elbo:.2f} beta {beta:.2f}"

    model.train()
    seconds, examples_per_second = train_with_adam(
        model.parameters(), steps, a.batch, a.lr, len(train), gen, step_loss, a.recipe, log_every=20
    )

    model.eval()
    with torch.no_grad():
        nll, elbo, kls = [], [], []
        for i in range(0, len(test), 50):
            x = test[i : i + 50]
            weights = []
            for j in range(0, a.eval_samples, 10):
                log_px, _, log_ratio = model(x, min(10, a.eval_samples - j))
                weights.append(log_px + log_ratio)
            w = torch.cat(weights, 0)
            nll.append(-(torch.logsumexp(w, 0) - math.log(w.shape[0])))
            log_px, kl, _ = model(x, 1)
            elbo.append(log_px[0] - kl[0].sum(1))
            kls.append(kl[0])
        nll = torch.cat(nll).mean().item()
        elbo = torch.cat(elbo).mean().item()
        kl_groups = torch.cat(kls).mean(0).tolist()
    row = {
        "model": "pytorch reference",
        "recipe": a.recipe,
        "dataset": f"mnist-10k (first {len(test)} test images, K = {a.eval_samples})",
        "metric": "nll_nats",
        "value": nll,
        "nll_nats": nll,
        "bits_per_dim": nll / (784 * math.log(2)),
        "elbo": elbo,
        "examples_per_second": examples_per_second,
        "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "seconds": seconds,
        "steps": steps,
        "backend": backend(),
    }
    for l, value in enumerate(kl_groups):
        row[f"kl_group_{l + 1}"] = value
    print(json.dumps({"rows": [row]}))


if __name__ == "__main__":
    main()
