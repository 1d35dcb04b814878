"""PyTorch reference for genzoo's PixelVAE recipes (@genzoo/vq-vae, `pixel-vae`): a VAE with a global latent z
and a Gated PixelCNN decoder conditioned on a map decoded from z, with the same networks, initialization,
optimizer, batch size, steps and data protocol as the genzoo recipe named by --recipe, so that genzoo's
importance-sampled -log p(x), ELBO and KL can be compared with a carefully written PyTorch implementation.
The flags come from the genzoo recipe objects (benchmarks/suites/vq-vae.mjs builds them: the recipe's
config as pixelVaeConfigSchema completes it, flattened); nothing here is specific to one recipe.

Model (Gulrajani et al. 2017, PixelVAE; Chen et al. 2017, Variational Lossy Autoencoder; genzoo
pixel-vae/model.ts):
  p(z) = N(0, I),   s = D(z) in R^{C_h x H x W},
  p(x | z) = prod_i Bernoulli(x_i; sigmoid(f_i(x_<i, s))),   q(z | x) = N(mu(x), diag sigma^2(x)),
  ELBO(x) = log p(x | z) - KL(q(z | x) || p(z)) at one reparameterized z = mu + sigma * eps,
  KL = sum_j 1/2 (mu_j^2 + sigma_j^2 - 1) - log sigma_j,
  log p(x) ~ log (1/K) sum_k p(x | z_k) p(z_k) / q(z_k | x),   z_k ~ q(z | x)   (Burda et al. 2016).
Networks:
  encoder: `hidden` stride-2 4x4 convs (padding 1, tfjs 'same') with ReLU, flattened, Linear -> [mu, log sigma];
  map decoder D: Linear(latent -> h*w*hidden[-1]) with ReLU, reshaped to the smallest map; stride-2 4x4
           transposed convs (padding 1) through reversed(hidden)[1:] + [hidden[0]] channels, each with ReLU;
           conv1x1 -> C_h (`map-channels`), no nonlinearity;
  f: pytorch_autoregressive.GatedPixelCnnNet with one Bernoulli logit per pixel, reading 2x - 1, the map
           through a 1x1 conv into every gate (`pixelcnn-*` flags; receptive field R = first//2 +
           gated_layers * (kernel//2) rows above and columns either side).
  (genzoo flattens NHWC maps where this flattens NCHW: the dense layers' units are a fixed permutation of
  genzoo's, the same distribution at initialization and the same model.)
Training loss (training_loss): -(mean_batch log p(x | z) - beta_t * KL_lambda), beta_t = min(1, t /
kl_warmup_steps) (1 with no warm-up; t from 0), KL_lambda = sum_j max(lambda, mean_batch KL_j) with free bits
lambda > 0, else the batch-mean KL. Adam(lr, 0.9/0.999, 1e-8), `steps` batches reshuffled every epoch.
Initialization as genzoo's: Glorot-uniform kernels (Keras fans), zero biases.

Data (written by benchmarks/reference/pytorch-pixelvae.mjs from genzoo's own splits):
- `--train-file`: the training images' grey levels as bytes k (p = k / 255, [N, H*W*C] row-major NHWC);
  every training batch is binarized afresh, x ~ Bernoulli(p), as genzoo's `binarize: 'dynamic'` does
  (packages/datasets/src/transforms/binarize.ts).
- `--test-file`: float32 [M, H*W*C], the very binarized test values genzoo evaluates (its one seeded draw).

Evaluation as genzoo's evaluateModel: batches of --eval-batch test images; per example the ELBO at one draw
and the importance-sampled log p(x) with K = --eval-samples draws; elbo = mean ELBO, nll_nats = -mean log
p(x) in nats per image, bits/dim = nll / (D ln 2), kl_nats = mean KL(q(z | x) || p(z)).
Samples: --samples images z ~ p(z), s = D(z), pixels drawn one by one on the receptive-field crop of the
pixel (and of s) as genzoo does, written as float32 [n, H*W*C] to --samples-out.

Prints progress on stderr and one JSON object ({"row": results row}) on its last stdout line.
"""
import argparse
import json
import math
import resource
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from pytorch_autoregressive import GatedPixelCnnNet, init_glorot
from pytorch_vqvae import backend, conv, deconv, images, log, read_u8, set_up_torch, train_with_adam

# Floats one PixelCNN activation may hold when many latent draws are scored at once (genzoo: 2^23).
DECODE_BUDGET_FLOATS = 2**23


class PixelVae(nn.Module):
    def __init__(self, a, shape):
        super().__init__()
        height, width, channels = shape
        factor = 2 ** len(a.hidden)
        if height % factor or width % factor:
            raise SystemExit(f"images must be multiples of {factor} high and wide ({len(a.hidden)} stride-2 convs)")
        self.bottom = (a.hidden[-1], height // factor, width // factor)
        bottom_size = math.prod(self.bottom)
        sizes = [channels, *a.hidden]
        self.convs = nn.ModuleList(conv(cin, cout, 4, 2, 1) for cin, cout in zip(sizes[:-1], sizes[1:]))
        self.posterior_layer = nn.Linear(bottom_size, 2 * a.latent_dim)
        self.project = nn.Linear(a.latent_dim, bottom_size)
        init_glorot(self.posterior_layer)
        init_glorot(self.project)
        up = list(reversed(a.hidden))
        self.deconvs = nn.ModuleList(deconv(cin, cout) for cin, cout in zip(up, [*up[1:], up[-1]]))
        self.to_map = conv(up[-1], a.map_channels, 1)
        self.pixelcnn = GatedPixelCnnNet(
            channels, 1, a.pixelcnn_channels, a.pixelcnn_gated_layers, a.pixelcnn_first_kernel,
            a.pixelcnn_kernel_size, a.pixelcnn_output_channels, 0, a.map_channels,
        )
        self.latent_dim = a.latent_dim
        self.widest = max(2 * a.pixelcnn_channels, a.pixelcnn_output_channels, a.map_channels, *a.hidden)

    def posterior(self, x):
        """(mu, log sigma) of q(z | x), [B, d] each, for x [B, C, H, W] in {0, 1}."""
        h = x
        for c in self.convs:
            h = F.relu(c(h))
        return self.posterior_layer(h.flatten(1)).chunk(2, 1)

    def decode_map(self, z):
        h = F.relu(self.project(z)).view(-1, *self.bottom)
        for d in self.deconvs:
            h = F.relu(d(h))
        return self.to_map(h)

    def log_likelihood(self, x, z):
        """log p(x | z) per example: the PixelCNN's Bernoulli logits on 2x - 1, given s = D(z)."""
        logits = self.pixelcnn(2 * x - 1, None, self.decode_map(z))
        return -F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)


def kl_per_dim(mu, log_sigma):
    """KL(N(mu, sigma^2) || N(0, 1)) per dimension."""
    return 0.5 * (mu**2 + torch.exp(2 * log_sigma) - 1) - log_sigma


def normal_log_prob(z, mu, log_sigma):
    return (-0.5 * ((z - mu) * torch.exp(-log_sigma)) ** 2 - log_sigma - 0.5 * math.log(2 * math.pi)).sum(-1)


def training_loss(model, x, a, step, noise=torch.randn_like):
    """The loss of one training batch x [B, C, H, W] at step `step` (from 0), -(mean log p(x | z) - beta_t
    KL_lambda) with one reparameterized z = mu + sigma * eps, eps = noise(mu) (a standard normal draw), and
    its terms: mu, log_sigma, eps, z [B, d]; log_likelihood, log p(x | z) per example [B]; kl_dims, the
    batch-mean KL per dimension [d]; kl, their sum; elbo, mean log p(x | z) - kl. equivalence.py checks it
    against genzoo's objective, with genzoo's eps."""
    mu, log_sigma = model.posterior(x)
    eps = noise(mu)
    z = mu + torch.exp(log_sigma) * eps
    log_likelihood = model.log_likelihood(x, z)
    reconstruction = log_likelihood.mean()
    kl_dims = kl_per_dim(mu, log_sigma).mean(0)
    kl = kl_dims.sum()
    penalty = torch.clamp(kl_dims, min=a.free_bits).sum() if a.free_bits > 0 else kl
    weight = min(1.0, step / a.kl_warmup_steps) if a.kl_warmup_steps > 0 else 1.0
    loss = -(reconstruction - weight * penalty)
    terms = {
        "mu": mu, "log_sigma": log_sigma, "eps": eps, "z": z, "log_likelihood": log_likelihood,
        "kl_dims": kl_dims, "kl": kl, "elbo": reconstruction - kl,
    }
    return loss, terms


@torch.no_grad()
def evaluate_batch(model, x, samples):
    """(ELBO [B] at one draw, importance-sampled log p(x) [B] with `samples` draws, KL [B])."""
    b = x.shape[0]
    mu, log_sigma = model.posterior(x)
    sigma = torch.exp(log_sigma)
    kl = kl_per_dim(mu, log_sigma).sum(1)
    elbo = model.log_likelihood(x, mu + sigma * torch.randn_like(mu)) - kl
    height, width = x.shape[2:]
    # As many draws at once as keep the widest activation within the budget (genzoo's chunks).
    chunk = max(1, min(samples, DECODE_BUDGET_FLOATS // (height * width * model.widest) // b))
    log_weights = []
    for start in range(0, samples, chunk):
        k = min(chunk, samples - start)
        z = mu + sigma * torch.randn(k, *mu.shape)  # [k, B, d]
        log_px = model.log_likelihood(x.repeat(k, 1, 1, 1), z.reshape(k * b, -1)).view(k, b)
        log_prior = -0.5 * (z**2).sum(-1) - model.latent_dim * 0.5 * math.log(2 * math.pi)
        log_weights.append(log_px + log_prior - normal_log_prob(z, mu, log_sigma))
    log_px = torch.logsumexp(torch.cat(log_weights), 0) - math.log(samples)
    return elbo, log_px, kl


@torch.no_grad()
def sample(model, n, shape):
    """n images: z ~ N(0, I), s = D(z), each pixel drawn from the PixelCNN run on its receptive-field crop."""
    height, width, channels = shape
    smap = model.decode_map(torch.randn(n, model.latent_dim))
    x = torch.zeros(n, channels, height, width)
    reach = model.pixelcnn.reach
    for r in range(height):
        r0 = max(0, r - reach)
        for c in range(width):
            c0, c1 = max(0, c - reach), min(width, c + reach + 1)
            crop = x[:, :, r0 : r + 1, c0:c1]
            logits = model.pixelcnn(2 * crop - 1, None, smap[:, :, r0 : r + 1, c0:c1])[:, :, r - r0, c - c0]
            x[:, :, r, c] = torch.bernoulli(torch.sigmoid(logits))
    return x


def parse():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--recipe", required=True, help="the genzoo recipe this run reproduces, <model>/<name>")
    p.add_argument("--train-file", required=True)
    p.add_argument("--test-file", required=True)
    p.add_argument("--shape", default="28,28,1", help="H,W,C of the images")
    # The model's config (genzoo's pixelVaeConfigSchema, flattened).
    p.add_argument("--latent-dim", type=int, default=32)
    p.add_argument("--hidden", default="32,64")
    p.add_argument("--map-channels", type=int, default=16)
    p.add_argument("--pixelcnn-channels", type=int, default=32)
    p.add_argument("--pixelcnn-gated-layers", type=int, default=0)
    p.add_argument("--pixelcnn-first-kernel", type=int, default=3)
    p.add_argument("--pixelcnn-kernel-size", type=int, default=3)
    p.add_argument("--pixelcnn-output-channels", type=int, default=32)
    p.add_argument("--kl-warmup-steps", type=int, default=0)
    p.add_argument("--free-bits", type=float, default=0)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--eval-samples", type=int, default=100, help="importance samples K per test image")
    p.add_argument("--eval-batch", type=int, default=128)
    p.add_argument("--samples", type=int, default=0, help="images to draw (pixel by pixel)")
    p.add_argument("--samples-out", default="")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: every core of the machine)")
    p.add_argument("--dry-run", action="store_true", help="build the model and exit")
    a = p.parse_args()
    a.hidden = [int(s) for s in a.hidden.split(",") if s]
    a.shape = [int(s) for s in a.shape.split(",")]
    return a


def main():
    a = parse()
    gen = set_up_torch(a)
    model = PixelVae(a, a.shape)
    if a.dry_run:
        log(f"pixel-vae {sum(p.numel() for p in model.parameters())} parameters, receptive field {model.pixelcnn.reach}")
        print(json.dumps({"dry_run": True}))
        return
    dims = math.prod(a.shape)
    grey = read_u8(a.train_file, dims)
    test = torch.from_numpy(np.fromfile(a.test_file, dtype=np.float32).reshape(-1, dims).copy())

    def step_loss(rows, step):
        """The batch binarized afresh: x ~ Bernoulli(k / 255)."""
        p = grey[rows].float() / 255
        x = images((torch.rand(p.shape, generator=gen) < p).float(), a.shape)
        loss, terms = training_loss(model, x, a, step)
        return loss, lambda: f"elbo {terms['elbo'].item():.2f} kl {terms['kl'].item():.2f}"

    seconds, speed = train_with_adam(
        model.parameters(), a.steps, a.batch, a.lr, len(grey), gen, step_loss, "pixel-vae", log_every=50
    )

    elbo, log_px, kl = torch.zeros(len(test)), torch.zeros(len(test)), torch.zeros(len(test))
    eval_start = time.time()
    for s in range(0, len(test), a.eval_batch):
        x = images(test[s : s + a.eval_batch], a.shape)
        n = x.shape[0]
        elbo[s : s + n], log_px[s : s + n], kl[s : s + n] = evaluate_batch(model, x, a.eval_samples)
    nll = -log_px.mean().item()
    row = {
        "recipe": a.recipe,
        "metric": "nll_nats",
        "value": nll,
        "nll_nats": nll,
        "bits_per_dim": nll / (dims * math.log(2)),
        "elbo": elbo.mean().item(),
        "kl_nats": kl.mean().item(),
        "examples_per_second": speed,
        "seconds": seconds,
        "eval_seconds": time.time() - eval_start,
        "steps": a.steps,
        "backend": backend(),
    }
    log(f"test nll {nll:.2f} nats, elbo {row['elbo']:.2f}, kl {row['kl_nats']:.2f} (K = {a.eval_samples})")

    if a.samples > 0:
        sample_start = time.time()
        drawn = sample(model, a.samples, a.shape)
        row["sampling_images_per_second"] = a.samples / (time.time() - sample_start)
        drawn.permute(0, 2, 3, 1).reshape(a.samples, -1).numpy().astype(np.float32).tofile(a.samples_out)

    row["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"row": row}))


if __name__ == "__main__":
    main()
