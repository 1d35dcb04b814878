"""PyTorch reference of genzoo's StarGAN (packages/gan/src/stargan) at equal network and budget.

Choi et al. 2018: one generator G(x, c) for K domains (the target's one-hot label as K replicated input
channels), a PatchGAN critic with a source head D_src and a domain head D_cls, trained with

  L_D = E D_src(G(x, c)) - E D_src(x) + lambda_gp E(|grad D_src(x^)| - 1)^2 + lambda_cls E[-log D_cls(c'|x)]
  L_G = -E D_src(G(x, c)) + lambda_cls E[-log D_cls(c|G(x, c))] + lambda_rec E|x - G(G(x, c), c')|

n_critic D updates (each on a fresh batch, targets drawn uniformly) per G update. The networks are
genzoo's: G = CycleGAN's ResNet (c7s1-k, d2k with a 3x3 stride-2 conv, R2k blocks, u_k a 4x4 stride-2
transposed conv, c7s1-C, tanh; instance norm with affine gamma/beta, eps 1e-5), D = 4x4 stride-2 convs k,
2k, 4k ... with LeakyReLU(0.01), a 3x3 D_src conv and a dense D_cls on the flattened map; TF 'same'
padding throughout, N(0, 0.02^2) weights, zero biases. The data are genzoo's own mnist-10k-domains splits
(written by pytorch-stargan.mjs: float32 NHWC images in [-1, 1] and uint8 domain labels).

Writes the translations of the first --test-n test images to every domain (float32 [K, n, 28, 28, 1],
NHWC) to --translations-out and prints one JSON line: timings and the reconstruction error on the whole
test split with genzoo's targets (c = c' + 1 + (i mod (K - 1)) mod K).
"""

import argparse
import json
import math
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from blas import blas_info  # the BLAS in the row
from pytorch_gan import BatchStream  # genzoo's batch order


def tf_same(size, kernel, stride):
    """TF 'same' padding (before, after) of one axis."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def conv(c_in, c_out, kernel, stride=1):
    layer = nn.Conv2d(c_in, c_out, kernel, stride=stride)
    nn.init.normal_(layer.weight, 0.0, 0.02)
    nn.init.zeros_(layer.bias)
    return layer


class SameConv(nn.Module):
    """core's Conv2D: TF 'same' padding (asymmetric where TF pads asymmetrically)."""

    def __init__(self, c_in, c_out, kernel, stride=1):
        super().__init__()
        self.kernel, self.stride = kernel, stride
        self.conv = conv(c_in, c_out, kernel, stride)

    def forward(self, x):
        top, bottom = tf_same(x.shape[2], self.kernel, self.stride)
        left, right = tf_same(x.shape[3], self.kernel, self.stride)
        return self.conv(F.pad(x, (left, right, top, bottom)))


class NormalizedConv(nn.Module):
    def __init__(self, c_in, c_out, kernel, stride=1, transposed=False):
        super().__init__()
        if transposed:  # 4x4 stride 2 'same': PyTorch's padding 1 doubles the size exactly
            self.conv = nn.ConvTranspose2d(c_in, c_out, kernel, stride=stride, padding=(kernel - stride) // 2)
            nn.init.normal_(self.conv.weight, 0.0, 0.02)
            nn.init.zeros_(self.conv.bias)
        else:
            self.conv = SameConv(c_in, c_out, kernel, stride)
        self.norm = nn.InstanceNorm2d(c_out, affine=True, eps=1e-5)

    def forward(self, x):
        return self.norm(self.conv(x))


class Generator(nn.Module):
    def __init__(self, channels, domains, k, blocks):
        super().__init__()
        self.domains = domains
        self.input = NormalizedConv(channels + domains, k, 7)
        self.down = NormalizedConv(k, 2 * k, 3, 2)
        self.blocks = nn.ModuleList(
            nn.ModuleList([NormalizedConv(2 * k, 2 * k, 3), NormalizedConv(2 * k, 2 * k, 3)]) for _ in range(blocks)
        )
        self.up = NormalizedConv(2 * k, k, 4, 2, transposed=True)
        self.out = SameConv(k, channels, 7)

    def forward(self, x, c):
        n, _, h, w = x.shape
        labels = c.view(n, self.domains, 1, 1).expand(n, self.domains, h, w)
        y = F.relu(self.input(torch.cat([x, labels], 1)))
        y = F.relu(self.down(y))
        for first, second in self.blocks:
            y = y + second(F.relu(first(y)))
        y = F.relu(self.up(y))
        return torch.tanh(self.out(y))


class Discriminator(nn.Module):
    def __init__(self, image, domains, k, layers):
        super().__init__()
        channels, height, width = image
        self.body = nn.ModuleList()
        for i in range(layers):
            self.body.append(SameConv(channels, k * 2**i, 4, 2))
            channels, height, width = k * 2**i, -(-height // 2), -(-width // 2)
        self.source = SameConv(channels, 1, 3)
        self.domain = nn.Linear(channels * height * width, domains)
        nn.init.normal_(self.domain.weight, 0.0, 0.02)
        nn.init.zeros_(self.domain.bias)

    def features(self, x):
        for layer in self.body:
            x = F.leaky_relu(layer(x), 0.01)
        return x

    def forward(self, x):
        h = self.features(x)
        return self.source(h).flatten(), self.domain(h.flatten(1))

    def critic(self, x):
        return self.source(self.features(x)).flatten()


def gradient_penalty(D, real, fake, weight):
    eps = torch.rand(real.shape[0], 1, 1, 1)
    x_hat = (fake + eps * (real - fake)).requires_grad_(True)
    (grad,) = torch.autograd.grad(D.critic(x_hat).sum(), x_hat, create_graph=True)
    norms = torch.sqrt(grad.pow(2).flatten(1).sum(1) + 1e-12)
    return weight * (norms - 1).pow(2).mean()


def read_split(images, labels):
    y = torch.from_numpy(np.fromfile(labels, dtype=np.uint8).astype(np.int64))
    x = torch.from_numpy(np.fromfile(images, dtype="<f4").reshape(len(y), 28, 28, 1)).permute(0, 3, 1, 2)
    return x.contiguous(), y


def adam(parameters, prefix, a):
    name = getattr(a, f"{prefix}_name")
    if name != "adam":
        sys.exit(f"pytorch_stargan.py: error: only Adam is implemented, got {name}")
    betas = (getattr(a, f"{prefix}_beta1"), getattr(a, f"{prefix}_beta2"))
    return torch.optim.Adam(parameters, lr=getattr(a, f"{prefix}_learning_rate"), betas=betas, eps=getattr(a, f"{prefix}_epsilon"))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--recipe", default="")
    p.add_argument("--model", choices=["stargan"], default="stargan")
    p.add_argument("--dataset", choices=["mnist-10k-domains"], default="mnist-10k-domains")
    for key, kind in [
        ("channels", int),
        ("residual-blocks", int),
        ("discriminator-layers", int),
        ("classification-weight", float),
        ("reconstruction-weight", float),
        ("penalty-weight", float),
        ("discriminator-steps", int),
    ]:
        p.add_argument(f"--{key}", type=kind, required=True)
    p.add_argument("--output", choices=["tanh"], default="tanh")
    for player in ("generator", "discriminator"):
        p.add_argument(f"--optimizers-{player}-name", default="adam")
        for key in ("learning-rate", "beta1", "beta2", "epsilon"):
            p.add_argument(f"--optimizers-{player}-{key}", type=float, required=True)
    p.add_argument("--domains", type=int, default=5)
    p.add_argument("--train-images", default="")
    p.add_argument("--train-labels", default="")
    p.add_argument("--test-images", default="")
    p.add_argument("--test-labels", default="")
    p.add_argument("--test-n", type=int, default=1000)
    p.add_argument("--translations-out", default="")
    p.add_argument("--train-steps", type=int, default=1000)
    p.add_argument("--batch", type=int, default=16)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--dry-run", action="store_true")
    return p.parse_args()


def main():
    a = parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    K = a.domains
    G = Generator(1, K, a.channels, a.residual_blocks)
    D = Discriminator((1, 28, 28), K, a.channels, a.discriminator_layers)
    opt_g = adam(G.parameters(), "optimizers_generator", a)
    opt_d = adam(D.parameters(), "optimizers_discriminator", a)
    if a.dry_run:
        print(json.dumps({"ok": True}))
        return
    train_x, train_y = read_split(a.train_images, a.train_labels)
    test_x, test_y = read_split(a.test_images, a.test_labels)
    onehot = torch.eye(K)
    stream = BatchStream(len(train_x), a.batch, a.seed)
    d_params = list(D.parameters())

    def batch():
        idx = stream.next()
        return train_x[idx], onehot[train_y[idx]]

    def targets(n):
        return onehot[torch.randint(K, (n,))]

    start = time.time()
    for step in range(1, a.train_steps + 1):
        for _ in range(a.discriminator_steps):
            x, original = batch()
            with torch.no_grad():
                fake = G(x, targets(len(x)))
            real_src, real_cls = D(x)
            loss = (
                D.critic(fake).mean()
                - real_src.mean()
                + gradient_penalty(D, x, fake, a.penalty_weight)
                + a.classification_weight * F.cross_entropy(real_cls, original.argmax(1))
            )
            opt_d.zero_grad(set_to_none=True)
            loss.backward()
            opt_d.step()
        x, original = batch()
        target = targets(len(x))
        for q in d_params:
            q.requires_grad_(False)
        fake = G(x, target)
        fake_src, fake_cls = D(fake)
        g_loss = (
            -fake_src.mean()
            + a.classification_weight * F.cross_entropy(fake_cls, target.argmax(1))
            + a.reconstruction_weight * (x - G(fake, original)).abs().mean()
        )
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        for q in d_params:
            q.requires_grad_(True)
        if not (math.isfinite(loss.item()) and math.isfinite(g_loss.item())):
            sys.exit(f"pytorch_stargan.py: error: non-finite loss in step {step}")
        if step % 50 == 0 or step == a.train_steps:
            print(f"  step {step}/{a.train_steps} D {loss.item():.4f} G {g_loss.item():.4f}", file=sys.stderr)
    seconds = time.time() - start

    with torch.no_grad():
        n = min(a.test_n, len(test_x))
        translations = torch.stack(
            [torch.cat([G(test_x[i : i + 250], onehot[k].expand(len(test_x[i : i + 250]), K)) for i in range(0, n, 250)]) for k in range(K)]
        )[:, :n]
        if a.translations_out:
            translations.permute(0, 1, 3, 4, 2).contiguous().numpy().astype("<f4").tofile(a.translations_out)
        idx = torch.arange(len(test_x))
        around = onehot[(test_y + 1 + idx % (K - 1)) % K]
        cycled = torch.cat(
            [G(G(test_x[i : i + 250], around[i : i + 250]), onehot[test_y[i : i + 250]]) for i in range(0, len(test_x), 250)]
        )
        recon = (cycled - test_x).abs().mean().item()
    examples = a.train_steps * (a.discriminator_steps + 1) * a.batch
    print(
        json.dumps(
            {
                "recipe": a.recipe,
                "model": "stargan",
                "dataset": a.dataset,
                "steps": a.train_steps,
                "seconds": seconds,
                "examples_per_second": examples / seconds,
                "steps_per_second": a.train_steps / seconds,
                "recon_error": recon,
                "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "backend": "pytorch-cpu",
                "threads": torch.get_num_threads(),
                "torch": torch.__version__,
                "blas": blas_info(),
            }
        )
    )


if __name__ == "__main__":
    main()
