"""PyTorch reference for genzoo's two-stage VQ-VAE recipes (@genzoo/vq-vae): a VQ-VAE (stage 1) and a
(Gated) PixelCNN prior over its codes (stage 2), with the same networks, initialization, optimizer, batch
sizes, steps and data protocol as the genzoo recipes named by --vq-recipe and --recipe, so that genzoo's
reconstruction error, code perplexity, two-stage bound and sample quality can be compared with a carefully
written PyTorch implementation. The flags come from the genzoo recipe objects
(benchmarks/suites/vq-vae.mjs builds them); nothing here is specific to one recipe.

Data (written by benchmarks/reference/pytorch-vqvae.mjs from genzoo's own splits):
- `--train-file`: the training images as bytes k (one per pixel, [N, H*W*C] row-major NHWC), with
  `--train-labels`; every training batch is dequantized afresh, y = (k + u) / L, u ~ U[0, 1), as genzoo's
  `dequantize` option does (packages/datasets/src/transforms/dequantize.ts).
- `--test-file`: float32 [M, H*W*C], the very (dequantized) test values genzoo evaluates, with `--test-labels`.

Stage 1, VQ-VAE (van den Oord, Vinyals & Kavukcuoglu 2017; genzoo vq-vae/model.ts):
  encoder: `hidden` stride-2 4x4 convs (padding 1) with ReLU, residual blocks h + conv1x1(ReLU(conv3x3(ReLU(h)))),
           ReLU, conv1x1 -> D;
  quantizer: k = argmin_j ||z_e - e_j||^2, z_q = z_e + sg[e_k - z_e]; codebook U(+-sqrt(3/K));
             EMA (App. A.1): N <- g N + (1 - g) n, m <- g m + (1 - g) sum z_e, e = m / N~ with Laplace
             smoothing N~ = (N + eps) / (n + K eps) n, starting at N = 1, m = e; or the codebook loss;
  decoder: conv1x1 D -> hidden[-1], residual blocks, ReLU, stride-2 4x4 transposed convs (padding 1), ReLU
           between them;
  loss per example: -log p(y | z_q) + [||sg[z_e] - e||^2] + beta ||z_e - sg[e]||^2, averaged over the batch;
  p(y | z_q) Gaussian with fixed variance v (log-normalizer kept) or Bernoulli on logits.
Stage 2, prior: the Gated PixelCNN (or PixelCNN) of pytorch_autoregressive.py on one-hot codes with a K-way
softmax (genzoo's categorical head with `values: 'index'`), trained on the codes the frozen encoder assigns
to each (freshly dequantized) training batch; class-conditional with --prior-conditional 1.
Training: Adam(lr, 0.9/0.999, 1e-8), `steps` batches, reshuffled every epoch.
Initialization as genzoo's: Glorot-uniform kernels (Keras fans), zero biases.

Evaluation as genzoo's evaluateModel: batches of --eval-batch test values; per batch the reconstruction
MSE of E[y | z_q], the code perplexity exp(H) of the batch's code frequencies and the codes used, averaged
over the test set weighted by batch size; the bound log p(y) >= log p(y | z_q) + log p(z_q) with the uniform
prior (h w log K, stage 1) and with the learned prior (stage 2); nll_nats = -mean bound + D log L (the
dequantization offset: a bound on the discrete 8-bit likelihood), bits/dim = nll / (D ln 2).
Samples: --samples code grids drawn position by position from the prior (labels i mod C for a conditional
prior) and decoded to E[y | z_q], written as float32 [n, H, W, C] to --samples-out (labels to
--samples-out.labels).

A twin of one genzoo run (the first stage; pytorch_vqvae2.py takes the same flags): --start-from is a
folder genzoo wrote with the run's initial variables (genzoo_weights.py's format) and --batches-file the
run's training batches in order, already dequantized, so both trainings start from the same weights and
see the same values; the two then differ only in float32 rounding. --trace-out writes, every
--trace-every steps, the means over those steps of the training metrics genzoo's metrics.jsonl logs (the
loss, code perplexity, codes used and reconstruction MSE; per level for the VQ-VAE-2).
--prior-steps 0 trains and evaluates the first stage alone ("prior": null).

Prints progress on stderr and one JSON object ({"vqvae": row, "prior": row}) on its last stdout line.
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import numpy as np
import torch
from torch import nn
import torch.nn.functional as F

from genzoo_weights import load_genzoo_variables, read_tensors
from blas import blas_info
from pytorch_autoregressive import GatedPixelCnnNet, PixelCnnNet, init_glorot


# ------------------------------------------------------------------------------------------ networks


def conv(cin, cout, k, stride=1, padding=0):
    layer = nn.Conv2d(cin, cout, k, stride, padding)
    init_glorot(layer)
    return layer


def deconv(cin, cout, stride=2):
    """A 4x4 transposed convolution multiplying H and W by `stride`, with tfjs's 'same' padding: (4 - s) / 2 on
    each side (1 for stride 2, 0 for stride 4; other strides would need an output padding)."""
    if stride not in (2, 4):
        raise SystemExit(f"a 4x4 transposed convolution of stride {stride} is not implemented (2 or 4)")
    layer = nn.ConvTranspose2d(cin, cout, 4, stride, (4 - stride) // 2)
    # xavier_uniform_ on [in, out, k, k] has the fans of genzoo's [k, k, out, in] kernel (their sum is equal).
    nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


class ResidualBlock(nn.Module):
    """h + conv1x1(ReLU(conv3x3(ReLU(h))))."""

    def __init__(self, channels, inner):
        super().__init__()
        self.conv = conv(channels, inner, 3, padding=1)
        self.project = conv(inner, channels, 1)

    def forward(self, h):
        return h + self.project(F.relu(self.conv(F.relu(h))))


class Encoder(nn.Module):
    def __init__(self, channels, code_dim, hidden, blocks, inner):
        super().__init__()
        sizes = [channels, *hidden]
        self.convs = nn.ModuleList(conv(a, b, 4, 2, 1) for a, b in zip(sizes[:-1], sizes[1:]))
        self.blocks = nn.ModuleList(ResidualBlock(hidden[-1], inner) for _ in range(blocks))
        self.out = conv(hidden[-1], code_dim, 1)

    def forward(self, x):
        h = x
        for c in self.convs:
            h = F.relu(c(h))
        for b in self.blocks:
            h = b(h)
        return self.out(F.relu(h))


class Decoder(nn.Module):
    def __init__(self, channels, code_dim, hidden, blocks, inner):
        super().__init__()
        rev = list(reversed(hidden))
        self.input = conv(code_dim, rev[0], 1)
        self.blocks = nn.ModuleList(ResidualBlock(rev[0], inner) for _ in range(blocks))
        outs = [*rev[1:], channels]
        self.deconvs = nn.ModuleList(deconv(a, b) for a, b in zip(rev, outs))

    def forward(self, z):
        h = self.input(z)
        for b in self.blocks:
            h = b(h)
        h = F.relu(h)
        for i, d in enumerate(self.deconvs):
            h = d(h)
            if i + 1 < len(self.deconvs):
                h = F.relu(h)
        return h


class Quantizer(nn.Module):
    def __init__(self, k, d, update, decay, epsilon):
        super().__init__()
        limit = math.sqrt(3 / k)
        codebook = torch.empty(k, d).uniform_(-limit, limit)
        self.k, self.update, self.decay, self.epsilon = k, update, decay, epsilon
        if update == "ema":
            self.register_buffer("codebook", codebook)
            self.register_buffer("cluster_size", torch.ones(k))
            self.register_buffer("cluster_sum", codebook.clone())
        else:
            self.codebook = nn.Parameter(codebook)

    def nearest(self, z):
        """argmin_k ||z - e_k||^2 for rows z [N, D]."""
        e = self.codebook
        return torch.argmin((e * e).sum(1)[None, :] - 2 * z @ e.t(), 1)

    def forward(self, ze):
        """ze [B, D, h, w] -> (indices [B, h, w], codes, z_q, codebook loss [B], commitment loss [B], counts [K])."""
        b, d, h, w = ze.shape
        flat = ze.permute(0, 2, 3, 1).reshape(-1, d)
        with torch.no_grad():
            idx = self.nearest(flat)
        onehot = F.one_hot(idx, self.k).float()
        codes = (onehot @ self.codebook).view(b, h, w, d).permute(0, 3, 1, 2)
        zq = ze + (codes - ze).detach()
        codebook_loss = ((ze.detach() - codes) ** 2).flatten(1).sum(1)
        commitment = ((ze - codes.detach()) ** 2).flatten(1).sum(1)
        return idx.view(b, h, w), codes, zq, codebook_loss, commitment, onehot.sum(0).detach(), flat.detach(), onehot

    @torch.no_grad()
    def ema_update(self, counts, flat, onehot):
        g, eps = self.decay, self.epsilon
        self.cluster_size.mul_(g).add_((1 - g) * counts)
        self.cluster_sum.mul_(g).add_((1 - g) * (onehot.t() @ flat))
        n = self.cluster_size.sum()
        smoothed = (self.cluster_size + eps) / (n + self.k * eps) * n
        self.codebook.copy_(self.cluster_sum / smoothed[:, None])

    def lookup(self, idx):
        """e_k for indices [B, h, w] -> [B, D, h, w]."""
        return self.codebook[idx].permute(0, 3, 1, 2)


def training_metrics(loss, quantized, out, y, observation):
    """What genzoo's Trainer logs of a training step, under snake_case names: the loss, the reconstruction
    MSE, and each quantizer's perplexity and codes used (`quantized`: {level suffix: quantizer outputs})."""
    metrics = {"loss": loss.item(), "recon_mse": ((observation.mean(out.detach()) - y) ** 2).mean().item()}
    for suffix, q in quantized.items():
        metrics[f"perplexity{suffix}"], metrics[f"codes_used{suffix}"] = code_statistics(q[5])
    return metrics


def code_statistics(counts):
    p = counts / counts.sum().clamp(min=1)
    perplexity = torch.exp(-(p * torch.log(p + 1e-10)).sum())
    return perplexity.item(), (counts > 0).sum().item()


class Observation:
    """p(y | decoder outputs): Gaussian with fixed variance (log-normalizer kept) or Bernoulli on logits."""

    def __init__(self, kind, variance):
        self.kind, self.variance = kind, variance

    def log_likelihood(self, out, y):
        """log p(y | outputs) per example; out and y [B, C, H, W]."""
        if self.kind == "bernoulli":
            return -F.binary_cross_entropy_with_logits(out, y, reduction="none").flatten(1).sum(1)
        v = self.variance
        dims = y[0].numel()
        return -0.5 / v * ((y - out) ** 2).flatten(1).sum(1) - 0.5 * dims * math.log(2 * math.pi * v)

    def mean(self, out):
        return torch.sigmoid(out) if self.kind == "bernoulli" else out


class VqVae(nn.Module):
    def __init__(self, a, channels):
        super().__init__()
        self.encoder = Encoder(channels, a.code_dim, a.hidden, a.residual_blocks, a.residual_channels)
        self.quantizer = Quantizer(a.codebook_size, a.code_dim, a.codebook_update, a.codebook_decay, a.codebook_epsilon)
        self.decoder = Decoder(channels, a.code_dim, a.hidden, a.residual_blocks, a.residual_channels)
        self.observation = Observation(a.decoder_kind, a.decoder_variance)

    def encode(self, y):
        ze = self.encoder(y)
        b, d, h, w = ze.shape
        return self.quantizer.nearest(ze.permute(0, 2, 3, 1).reshape(-1, d)).view(b, h, w)

    def decode(self, idx):
        return self.observation.mean(self.decoder(self.quantizer.lookup(idx)))


def training_loss(vq, y, a):
    """One training batch y [B, C, H, W]: (the loss, the quantizer's outputs, the decoder outputs), the
    codebook's EMA step taken after the loss terms (as genzoo's objective does). equivalence.py checks it
    against genzoo's objective."""
    q = vq.quantizer(vq.encoder(y))
    _, _, zq, codebook_loss, commitment, counts, flat, onehot = q
    out = vq.decoder(zq)
    loss = -vq.observation.log_likelihood(out, y).mean() + a.beta * commitment.mean()
    if a.codebook_update == "loss":
        loss = loss + codebook_loss.mean()
    else:
        vq.quantizer.ema_update(counts, flat, onehot)
    return loss, q, out


# ---------------------------------------------------------------------------------------------- data


def images(flat, shape):
    """[N, H*W*C] row-major NHWC -> [N, C, H, W]."""
    h, w, c = shape
    return flat.view(-1, h, w, c).permute(0, 3, 1, 2)


class Batches:
    """Batches of `size` training indices, reshuffled every epoch (as genzoo's Trainer draws them)."""

    def __init__(self, n, size, generator):
        self.n, self.size, self.g = n, min(size, n), generator
        self.order, self.at = torch.randperm(n, generator=generator), 0

    def next(self):
        if self.at + self.size > self.n:
            self.order, self.at = torch.randperm(self.n, generator=self.g), 0
        idx = self.order[self.at : self.at + self.size]
        self.at += self.size
        return idx


class Twin:
    """A twin of one genzoo run (see the module doc): its initial variables loaded into `vq` (genzoo model
    `model`), its batches, and the trace of the training metrics. Without --start-from, --batches-file and
    --trace-out (an ordinary reference run) it changes nothing."""

    def __init__(self, a, model, vq, dims):
        self.a = a
        if a.start_from:
            load_genzoo_variables(model, vq, read_tensors(a.start_from)[1])
        self.batches = None
        if a.batches_file:
            values = np.fromfile(a.batches_file, dtype=np.float32)
            if values.size != a.vq_steps * a.vq_batch * dims:
                raise SystemExit(
                    f"--batches-file holds {values.size} values, not {a.vq_steps} batches of {a.vq_batch} x {dims}"
                )
            self.batches = torch.from_numpy(values.reshape(a.vq_steps, a.vq_batch, dims))
        self.per_step = []

    def batch(self, step, draw):
        """Training batch `step`: the file's, else draw() (a freshly dequantized batch)."""
        return self.batches[step] if self.batches is not None else draw()

    def examples(self, train):
        """How many training examples the index stream runs over (a twin's batches come from its file)."""
        return len(train) if train is not None else self.a.vq_batch

    def record(self, values):
        """One step's training metrics, values() -> {name: float}, taken only when tracing."""
        if self.a.trace_out:
            self.per_step.append(values())

    def write_trace(self):
        """JSON lines {"step", name: mean, ...}: the means over steps (step - every, step], as genzoo's
        Trainer logs its metrics (and over the last, shorter window)."""
        if not self.a.trace_out:
            return
        every, steps = self.a.trace_every, len(self.per_step)
        with open(self.a.trace_out, "w") as f:
            for end in [*range(every, steps + 1, every), *([steps] if steps % every else [])]:
                window = self.per_step[max(0, end - every) : end]
                means = {name: float(np.mean([v[name] for v in window])) for name in window[0]}
                f.write(json.dumps({"step": end, **means}) + "\n")


def dequantized(k_bytes, levels, generator):
    """y = (k + u) / L, u ~ U[0, 1)."""
    return (k_bytes.float() + torch.rand(k_bytes.shape, generator=generator)) / levels


# ---------------------------------------------------------------------------------------------- main


def two_stage_flags(description):
    """The flags both two-stage references share: recipes, data, the first stage's config keys common to the
    VQ-VAE and the VQ-VAE-2 (genzoo's schemas, flattened), both stages' training, evaluation and samples."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--recipe", required=True, help="the genzoo prior recipe, <model>/<name>")
    p.add_argument("--vq-recipe", required=True, help="the genzoo first-stage recipe it starts from")
    p.add_argument("--train-file", default="", help="required but for a twin (--batches-file)")
    p.add_argument("--train-labels", default="")
    p.add_argument("--test-file", required=True)
    p.add_argument("--test-labels", default="")
    p.add_argument("--shape", default="28,28,1", help="H,W,C of the images")
    p.add_argument("--levels", type=int, default=256, help="dequantization levels L")
    p.add_argument("--code-dim", type=int, default=16)
    p.add_argument("--residual-blocks", type=int, default=2)
    p.add_argument("--residual-channels", type=int, default=32)
    p.add_argument("--beta", type=float, default=0.25)
    p.add_argument("--codebook-update", choices=["ema", "loss"], default="ema")
    p.add_argument("--codebook-decay", type=float, default=0.99)
    p.add_argument("--codebook-epsilon", type=float, default=1e-5)
    p.add_argument("--codebook-init", choices=["uniform"], default="uniform")
    p.add_argument("--dead-code-restart-enabled", type=int, choices=[0], default=0)
    p.add_argument("--dead-code-restart-threshold", type=float, default=1)
    p.add_argument("--dead-code-restart-every", type=int, default=100)
    p.add_argument("--decoder-kind", choices=["gaussian", "bernoulli"], default="gaussian")
    p.add_argument("--decoder-variance", type=float, default=0.01)
    p.add_argument("--vq-steps", type=int, required=True)
    p.add_argument("--vq-batch", type=int, default=128)
    p.add_argument("--vq-lr", type=float, default=1e-3)
    p.add_argument("--prior-steps", type=int, required=True)
    p.add_argument("--prior-batch", type=int, default=128)
    p.add_argument("--prior-lr", type=float, default=1e-3)
    p.add_argument("--eval-batch", type=int, default=128)
    p.add_argument("--samples", type=int, default=0, help="images to draw from the two-stage model")
    p.add_argument("--samples-out", default="")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: every core of the machine)")
    p.add_argument("--dry-run", action="store_true", help="build the models and exit")
    # A twin of one genzoo run (see the module doc).
    p.add_argument("--start-from", default="", help="a folder of genzoo's initial first-stage variables")
    p.add_argument("--batches-file", default="", help="float32 [vq-steps * vq-batch, H*W*C]: the training batches")
    p.add_argument("--trace-out", default="", help="JSON lines of the training metrics' means every --trace-every steps")
    p.add_argument("--trace-every", type=int, default=25)
    return p


def check_stages(a):
    """What two_stage_flags' flags require of each other."""
    if a.prior_steps == 0 and a.samples > 0:
        raise SystemExit("--samples needs a prior: --prior-steps 0 trains the first stage alone")
    if a.batches_file and a.prior_steps != 0:
        raise SystemExit("--batches-file holds the first stage's batches: a twin trains it alone (--prior-steps 0)")
    if not a.train_file and not a.batches_file:
        raise SystemExit("--train-file is required (unless --batches-file gives every training batch)")


def parse():
    p = two_stage_flags(__doc__.split("\n")[0])
    # The VQ-VAE's own config keys (genzoo's vqVaeConfigSchema, flattened).
    p.add_argument("--codebook-size", type=int, default=64)
    p.add_argument("--hidden", default="32,64")
    # The prior (genzoo's vqVaePriorConfigSchema: the network and its completed config, head excluded).
    p.add_argument("--network", choices=["gated-pixelcnn", "pixelcnn"], default="gated-pixelcnn")
    p.add_argument("--prior-channels", type=int, default=64)
    p.add_argument("--prior-gated-layers", type=int, default=5)
    p.add_argument("--prior-residual-blocks", type=int, default=5)
    p.add_argument("--prior-first-kernel", type=int, default=7)
    p.add_argument("--prior-kernel-size", type=int, default=3)
    p.add_argument("--prior-output-channels", type=int, default=64)
    p.add_argument("--prior-conditional", type=int, choices=[0, 1], default=0)
    p.add_argument("--prior-map-channels", type=int, choices=[0], default=0)
    a = p.parse_args()
    check_stages(a)
    a.hidden = [int(s) for s in a.hidden.split(",") if s]
    a.shape = [int(s) for s in a.shape.split(",")]
    return a


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def read_u8(path, dims):
    return torch.from_numpy(np.fromfile(path, dtype=np.uint8).reshape(-1, dims).copy())


def set_up_torch(a):
    """Seeds torch and sets its threads; returns the generator of the batches and the dequantization noise."""
    torch.manual_seed(a.seed)
    # Every core, as a PyTorch user's run on this machine would use (OpenMP reports 1 here by default).
    torch.set_num_threads(a.threads if a.threads > 0 else os.cpu_count())
    return torch.Generator().manual_seed(a.seed)


def load_data(a, dims, conditional):
    """(training bytes [N, dims] uint8 (None without --train-file), test values [M, dims] float32, training
    labels, test labels, classes):
    labels where files are given (else None), classes 0 unless `conditional` (then it needs both labels)."""

    def read_labels(path):
        return torch.from_numpy(np.fromfile(path, dtype=np.uint8).astype(np.int64)) if path else None

    train_labels, test_labels = read_labels(a.train_labels), read_labels(a.test_labels)
    classes = 0
    if conditional:
        if train_labels is None or test_labels is None:
            raise SystemExit("a class-conditional prior needs --train-labels and --test-labels")
        classes = int(train_labels.max().item()) + 1
    train = read_u8(a.train_file, dims) if a.train_file else None
    test = torch.from_numpy(np.fromfile(a.test_file, dtype=np.float32).reshape(-1, dims).copy())
    return train, test, train_labels, test_labels, classes


def backend():
    return f"pytorch {torch.__version__} cpu, {torch.get_num_threads()} thread(s), {blas_info()}"


def train_with_adam(parameters, steps, batch, lr, n_train, gen, step_loss, name, log_every=100):
    """Adam(lr, 0.9/0.999, 1e-8) on `parameters` for `steps` batches of `batch` training indices, reshuffled
    every epoch; step_loss(rows, step) returns the batch's loss and a function giving the text to log.
    Returns the seconds taken and the examples per second."""
    opt = torch.optim.Adam(parameters, lr=lr)
    batches = Batches(n_train, batch, gen)
    start = time.time()
    for step in range(steps):
        loss, progress = step_loss(batches.next(), step)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % log_every == 0 or step + 1 == steps:
            log(f"{name} step {step + 1}/{steps} {progress()}")
    seconds = time.time() - start
    return seconds, steps * batches.size / seconds


def write_samples(a, classes, draw):
    """Draws --samples images 250 at a time, image i of class i mod C for a conditional model (the order
    genzoo's scorer asks for): draw(n, one-hot classes or None) -> [n, H*W*C]. Writes them as float32 to
    --samples-out (their labels to --samples-out.labels) and returns the images drawn per second."""
    start = time.time()
    drawn = []
    labels = torch.arange(a.samples) % classes if classes else None
    with torch.no_grad():
        for s in range(0, a.samples, 250):
            n = min(250, a.samples - s)
            drawn.append(draw(n, F.one_hot(labels[s : s + n], classes).float() if classes else None))
    images_per_second = a.samples / (time.time() - start)
    torch.cat(drawn).numpy().astype(np.float32).tofile(a.samples_out)
    if classes:
        labels.numpy().astype(np.uint8).tofile(a.samples_out + ".labels")
    return images_per_second


def build_prior(a, classes):
    k = a.codebook_size
    if a.network == "gated-pixelcnn":
        return GatedPixelCnnNet(
            k, k, a.prior_channels, a.prior_gated_layers, a.prior_first_kernel, a.prior_kernel_size,
            a.prior_output_channels, classes,
        )
    if classes:
        raise SystemExit("a class-conditional prior needs --network gated-pixelcnn")
    return PixelCnnNet(
        k, k, a.prior_channels, a.prior_residual_blocks, a.prior_first_kernel, a.prior_kernel_size,
        a.prior_output_channels,
    )


def prior_log_prob(prior, idx, k, cond):
    """log p(z) per grid: sum over positions of log softmax(l)[z]; idx [B, h, w]."""
    onehot = F.one_hot(idx, k).permute(0, 3, 1, 2).float()
    logits = prior(onehot, cond)  # [B, K, h, w]
    return F.log_softmax(logits, 1).gather(1, idx[:, None]).flatten(1).sum(1)


@torch.no_grad()
def sample_codes(prior, n, grid, k, cond):
    h, w = grid
    idx = torch.zeros(n, h, w, dtype=torch.long)
    for r in range(h):
        for c in range(w):
            onehot = F.one_hot(idx, k).permute(0, 3, 1, 2).float()
            logits = prior(onehot, cond)[:, :, r, c]
            idx[:, r, c] = torch.distributions.Categorical(logits=logits).sample()
    return idx


def main():
    a = parse()
    gen = set_up_torch(a)
    h_img, w_img, channels = a.shape
    dims = h_img * w_img * channels
    factor = 2 ** len(a.hidden)
    grid = (h_img // factor, w_img // factor)
    k = a.codebook_size
    vq = VqVae(a, channels)
    if a.dry_run:
        prior = build_prior(a, 10 if a.prior_conditional else 0)
        log(f"vq-vae {sum(p.numel() for p in vq.parameters())} parameters, prior {sum(p.numel() for p in prior.parameters())}")
        print(json.dumps({"dry_run": True}))
        return
    train, test, train_labels, test_labels, classes = load_data(a, dims, a.prior_conditional)
    prior = build_prior(a, classes)
    twin = Twin(a, "vq-vae", vq, dims)

    # ---- stage 1: the VQ-VAE
    def vq_step(rows, step):
        y = images(twin.batch(step, lambda: dequantized(train[rows], a.levels, gen)), a.shape)
        loss, q, out = training_loss(vq, y, a)
        twin.record(lambda: training_metrics(loss, {"": q}, out, y, vq.observation))
        return loss, lambda: f"loss {loss.item():.4f} perplexity {code_statistics(q[5])[0]:.2f}"

    vq_seconds, vq_speed = train_with_adam(
        vq.parameters(), a.vq_steps, a.vq_batch, a.vq_lr, twin.examples(train), gen, vq_step, "vq-vae"
    )
    twin.write_trace()

    # ---- evaluation of stage 1 (and the decoder's term of stage 2)
    vq.eval()
    sums = {"recon_mse": 0.0, "perplexity": 0.0, "codes_used": 0.0}
    decoder_ll = torch.zeros(len(test))
    codes = torch.zeros(len(test), *grid, dtype=torch.long)
    with torch.no_grad():
        for s in range(0, len(test), a.eval_batch):
            y = images(test[s : s + a.eval_batch], a.shape)
            ze = vq.encoder(y)
            idx, _, zq, _, _, counts, _, _ = vq.quantizer(ze)
            out = vq.decoder(zq)
            n = y.shape[0]
            sums["recon_mse"] += ((vq.observation.mean(out) - y) ** 2).mean().item() * n
            perplexity, used = code_statistics(counts)
            sums["perplexity"] += perplexity * n
            sums["codes_used"] += used * n
            decoder_ll[s : s + n] = vq.observation.log_likelihood(out, y)
            codes[s : s + n] = idx
    offset = dims * math.log(a.levels)
    uniform_nll = -(decoder_ll.mean().item() - grid[0] * grid[1] * math.log(k)) + offset
    vq_row = {
        "recipe": a.vq_recipe,
        "metric": "recon_mse",
        "value": sums["recon_mse"] / len(test),
        **{key: v / len(test) for key, v in sums.items()},
        "nll_nats": uniform_nll,
        "bits_per_dim": uniform_nll / (dims * math.log(2)),
        "examples_per_second": vq_speed,
        "seconds": vq_seconds,
        "steps": a.vq_steps,
        "backend": backend(),
    }
    log(f"vq-vae test recon_mse {vq_row['recon_mse']:.5f} perplexity {vq_row['perplexity']:.2f} bits/dim {vq_row['bits_per_dim']:.4f}")
    if a.prior_steps == 0:
        vq_row["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"vqvae": vq_row, "prior": None}))
        return

    # ---- stage 2: the prior on the frozen encoder's codes of freshly dequantized training batches
    for p in vq.parameters():
        p.requires_grad_(False)

    def prior_step(rows, _step):
        with torch.no_grad():
            idx = vq.encode(images(dequantized(train[rows], a.levels, gen), a.shape))
        cond = F.one_hot(train_labels[rows], classes).float() if classes else None
        loss = -prior_log_prob(prior, idx, k, cond).mean()
        return loss, lambda: f"nll {loss.item():.3f}"

    prior_seconds, prior_speed = train_with_adam(
        prior.parameters(), a.prior_steps, a.prior_batch, a.prior_lr, len(train), gen, prior_step, "prior"
    )

    prior_ll = torch.zeros(len(test))
    with torch.no_grad():
        for s in range(0, len(test), a.eval_batch):
            idx = codes[s : s + a.eval_batch]
            cond = F.one_hot(test_labels[s : s + a.eval_batch], classes).float() if classes else None
            prior_ll[s : s + len(idx)] = prior_log_prob(prior, idx, k, cond)
    nll = -(decoder_ll + prior_ll).mean().item() + offset
    prior_row = {
        "recipe": a.recipe,
        "metric": "bits_per_dim",
        "value": nll / (dims * math.log(2)),
        "nll_nats": nll,
        "bits_per_dim": nll / (dims * math.log(2)),
        "recon_mse": vq_row["recon_mse"],
        "decoder_nll_nats": -decoder_ll.mean().item(),
        "prior_nll_nats": -prior_ll.mean().item(),
        "examples_per_second": prior_speed,
        "seconds": prior_seconds,
        "steps": a.prior_steps,
        "backend": backend(),
    }
    log(f"two-stage bits/dim {prior_row['bits_per_dim']:.4f} (prior {prior_row['prior_nll_nats']:.2f} nats)")

    if a.samples > 0:
        prior_row["sampling_images_per_second"] = write_samples(
            a, classes, lambda n, cond: vq.decode(sample_codes(prior, n, grid, k, cond)).permute(0, 2, 3, 1).reshape(n, -1)
        )

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vq_row["peak_memory_mb"] = prior_row["peak_memory_mb"] = peak
    print(json.dumps({"vqvae": vq_row, "prior": prior_row}))


if __name__ == "__main__":
    main()
