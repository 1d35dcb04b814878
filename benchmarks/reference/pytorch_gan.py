"""PyTorch reference for genzoo's GAN recipes (@genzoo/gan): GAN, DCGAN, WGAN, WGAN-GP and the
class-conditional GAN with the same networks, initialization, losses, optimizers, schedule of player updates,
batch size, step budget and data protocol as genzoo, so that genzoo's sample quality can be compared with a
carefully written PyTorch implementation at equal network and steps. The script trains and writes samples;
scoring them (classifier-FD, KID, mode coverage, ...) is the JS side's job, on the very samples written here.

Flags. Every leaf of the model's parsed genzoo config is one flag: its key path joined with '-' and each
part kebab-cased, lists comma-joined, booleans 1/0 (benchmarks/reference/flags.mjs spells the values):

  config.latentDim                              --latent-dim 100
  config.noise / .output / .loss                --noise normal  --output tanh  --loss non-saturating
  config.discriminatorSteps                     --discriminator-steps 5
  config.clip / .penaltyWeight / .embeddingDim  --clip 0.01  --penalty-weight 10  --embedding-dim 50
  config.network.kind                           --network-kind mlp|dcgan
  config.network.generatorHidden               --network-generator-hidden 256,512          (mlp)
  config.network.discriminatorHidden           --network-discriminator-hidden 512,256      (mlp)
  config.network.generatorBatchNorm            --network-generator-batch-norm 0            (mlp)
  config.network.generatorChannels             --network-generator-channels 128,64         (dcgan)
  config.network.discriminatorChannels         --network-discriminator-channels 64,128     (dcgan)
  config.network.kernelSize                    --network-kernel-size 4                     (dcgan)
  config.network.discriminatorBatchNorm        --network-discriminator-batch-norm 1        (dcgan)
  config.optimizers.generator.name             --optimizers-generator-name adam|rmsprop|adamax|sgd
  config.optimizers.generator.learningRate     --optimizers-generator-learning-rate 2e-4
  config.optimizers.generator.beta1 / beta2    --optimizers-generator-beta1 0.5 --optimizers-generator-beta2 0.999
  config.optimizers.generator.epsilon          --optimizers-generator-epsilon 1e-8
  config.optimizers.generator.decay / momentum --optimizers-generator-decay 0.9 --optimizers-generator-momentum 0
  (and the same for --optimizers-discriminator-*)

A flag the model's config does not have is an error, as genzoo's strict schemas make it one: --clip with
--model gan, --network-generator-hidden with --network-kind dcgan, --optimizers-generator-beta1 with an
rmsprop generator, ... A flag left out takes the model's genzoo default (MODELS below). Overrides merge
the way genzoo's schemas merge: an optimizer flag without --optimizers-<player>-name overrides the model's
default optimizer, with a name the optimizer starts from that optimizer's schema defaults; network flags
override the model's default network when --network-kind is its kind (or absent), the kind's schema
defaults otherwise (genzoo rejects a network override without `kind`; the benchmark always passes the
whole parsed config, so the two never differ there).

Mirrored (packages/gan/src, packages/core/src/nn and training):
- noise z ~ N(0, I), or U[-1, 1]^d with --noise uniform (models/noise.ts);
- MLP networks (networks/mlp.ts): generator Linear -> (BatchNorm1d) -> ReLU per hidden size, Linear -> output
  activation; discriminator body flatten -> Linear -> LeakyReLU(0.2) per hidden size; Glorot-uniform
  kernels (Keras fans = xavier_uniform_), zero biases;
- DCGAN networks (networks/dcgan.ts), N(0, 0.02^2) kernels, zero biases: generator Linear(z -> s*s*c0),
  reshape, BatchNorm2d, ReLU, then stride-2 transposed convolutions (BN + ReLU after all but the last) and the
  output activation; discriminator stride-2 convolutions with LeakyReLU(0.2), BatchNorm2d after all but the
  first (with discriminatorBatchNorm), flatten. TF 'same' padding: for k = 4 PyTorch's padding 1 exactly;
  other kernel sizes are padded asymmetrically as TF pads them (same_padding below). The transposed
  convolutions run as the input gradient of a convolution, the same map, because this PyTorch build's
  ConvTranspose2d is ~50x slower on the CPU (SameConvTranspose);
- the head Linear(features -> 1), N(0, 0.02^2) for dcgan and Glorot for mlp (networks/conditioning.ts);
  cgan: G(z, y) = G([z, yE]) with E [classes, embeddingDim], and the projection discriminator
  D(x, y) = head(phi) + sum_j (yV)_j phi_j with V [classes, featureDim], both Glorot-uniform;
- batch norm (nn/batch-norm.ts): gamma 1, beta 0, momentum 0.1, eps 1e-5, running variance from the
  unbiased batch variance (= PyTorch's). The generator's track running statistics, which `sample` uses
  (eval mode); the discriminator's never do (track_running_stats=False: always the batch's statistics);
- losses (losses/adversarial.ts): D: mean softplus(-D(x)) + mean softplus(D(G(z))), real and fake as two
  separate D calls (D's batch norm sees separate batches); G: non-saturating mean softplus(-D(G(z))) or
  minimax -mean softplus(D(G(z))); Wasserstein: critic mean D(G(z)) - mean D(x), generator -mean D(G(z));
  WGAN: every discriminator parameter (BN affine, head and projection too) clamped to [-clip, clip] after
  each critic update (losses/weight-clipping.ts); WGAN-GP: x^ = fake + eps(real - fake), eps ~ U[0, 1] per
  example, penalty lambda * mean((sqrt(|grad D(x^)|^2 + 1e-12) - 1)^2) added to the critic's loss;
- the schedule (models/adversarial-model.ts, training/trainer.ts): a step is `discriminatorSteps`
  discriminator updates, each on a fresh real batch and fresh noise, the fake batch drawn with G in
  training mode (its BN running statistics update, as in genzoo) and detached, then one generator update
  that consumes a batch of the stream too (only its size and, for cgan, its labels are used);
- the batch stream (training/batch-stream.ts): each epoch a fresh permutation, batches of --batch, the last
  partial batch dropped;
- per-player optimizers (training/optimizers.ts, tf.train.*): Adam(lr, beta1, beta2, eps) is
  torch.optim.Adam (the same update); RMSProp is tf.train.rmsprop(lr, decay, momentum, eps):
  ms <- rho ms + (1 - rho) g^2, mom <- mu mom + lr g / sqrt(ms + eps), theta <- theta - mom, rho = decay, ms
  and mom from zero -- TfRMSprop below. torch.optim.RMSprop(alpha=decay) adds eps outside the root,
  g / (sqrt(ms) + eps), which is not a detail here: eps = 1e-8 inside the root floors the denominator at
  1e-4, and WGAN's generator gradients are that small (measured after 100 steps of wgan/fashion-mnist:
  median RMS gradient 6e-5, 78% of the generator's entries with ms < 1e-8, where TF's step is about half of
  torch's). `--rmsprop-update torch` uses torch.optim.RMSprop instead. SGD with heavy-ball momentum is
  tf.train.momentum; Adamax is torch.optim.Adamax (which adds eps to |g| inside the max, tf after it).

Data (genzoo's recipes/protocol.ts): Fashion-MNIST training images from --data-dir scaled to [-1, 1] as
x = 2k/255 - 1 ([N, 1, 28, 28]; the MLP flattens them), with their labels for cgan; or, --dataset
8gaussians, genzoo's own training points from --train-file (float32 little-endian [N, 2], written by
benchmarks/reference/pytorch.mjs).

Output: --samples-out PATH gets --samples examples of G in eval mode (noise from a generator seeded with
--seed; for cgan the labels i % classes, written one byte each to PATH.labels) as float32 little-endian,
row-major NHWC [N, 28, 28, 1] (genzoo's layout) or [N, 2]; --losses-out PATH a JSON list of
{step, discriminator, generator}, the players' losses averaged over each --log-every steps (genzoo's
`discriminator/loss` includes WGAN-GP's penalty, so does this one). Progress goes to stderr, and one JSON
object to the last stdout line (`--dry-run`: {"ok": true} after parsing the flags and building the model).
"""
import argparse
import gzip
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
from blas import blas_info

# ------------------------------------------------------------------------------------------ configs

ADAM = {"name": "adam", "learningRate": 1e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
# genzoo's optimizer schema defaults (packages/core/src/training/config.ts), by name.
OPTIMIZER_DEFAULTS = {
    "adam": ADAM,
    "adamax": {"name": "adamax", "learningRate": 2e-3, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8},
    "rmsprop": {"name": "rmsprop", "learningRate": 5e-5, "decay": 0.9, "momentum": 0.0, "epsilon": 1e-8},
    "sgd": {"name": "sgd", "learningRate": 1e-2, "momentum": 0.0},
}
# genzoo's network schema defaults (packages/gan/src/config/network.ts), by kind.
NETWORK_DEFAULTS = {
    "mlp": {"kind": "mlp", "generatorHidden": [256, 256], "discriminatorHidden": [256, 256], "generatorBatchNorm": False},
    "dcgan": {
        "kind": "dcgan",
        "generatorChannels": [128, 64],
        "discriminatorChannels": [64, 128],
        "kernelSize": 4,
        "discriminatorBatchNorm": True,
    },
}

DCGAN_ADAM = {**ADAM, "learningRate": 2e-4, "beta1": 0.5}
WGAN_RMSPROP = {**OPTIMIZER_DEFAULTS["rmsprop"], "learningRate": 5e-5}
WGAN_GP_ADAM = {**ADAM, "learningRate": 1e-4, "beta1": 0.0, "beta2": 0.9}


def both(optimizer):
    return {"generator": dict(optimizer), "discriminator": dict(optimizer)}


def adversarial(network, optimizers, **own):
    """The config every adversarial model has (config/common.ts), and the model's own keys."""
    return {"latentDim": 100, "noise": "normal", "network": network, "output": "tanh", "optimizers": optimizers, **own}


# Each model's default config, as genzoo's schema completes an empty one (<model>/config.ts).
MODELS = {
    "gan": adversarial(NETWORK_DEFAULTS["mlp"], both(DCGAN_ADAM), loss="non-saturating", discriminatorSteps=1),
    "dcgan": adversarial(NETWORK_DEFAULTS["dcgan"], both(DCGAN_ADAM), loss="non-saturating", discriminatorSteps=1),
    "wgan": adversarial(NETWORK_DEFAULTS["dcgan"], both(WGAN_RMSPROP), clip=0.01, discriminatorSteps=5),
    "wgan-gp": adversarial(
        {**NETWORK_DEFAULTS["dcgan"], "discriminatorBatchNorm": False},
        both(WGAN_GP_ADAM),
        penaltyWeight=10.0,
        discriminatorSteps=5,
    ),
    "cgan": adversarial(
        NETWORK_DEFAULTS["dcgan"], both(DCGAN_ADAM), embeddingDim=50, loss="non-saturating", discriminatorSteps=1
    ),
}


def int_list(text):
    values = [int(v) for v in str(text).split(",") if v.strip()]
    if not values or any(v <= 0 for v in values):
        raise argparse.ArgumentTypeError(f"expected comma-separated positive integers, got {text!r}")
    return values


def flag_bool(text):
    if str(text).lower() in ("1", "true"):
        return True
    if str(text).lower() in ("0", "false"):
        return False
    raise argparse.ArgumentTypeError(f"expected 1/0 (or true/false), got {text!r}")


def positive_int(text):
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


# Every config leaf (key path) a flag can set, with its value's parser.
LEAVES = {
    "latentDim": positive_int,
    "noise": ["normal", "uniform"],
    "output": ["tanh", "sigmoid", "linear"],
    "loss": ["non-saturating", "minimax"],
    "discriminatorSteps": positive_int,
    "clip": float,
    "penaltyWeight": float,
    "embeddingDim": positive_int,
    "network.kind": ["mlp", "dcgan"],
    "network.generatorHidden": int_list,
    "network.discriminatorHidden": int_list,
    "network.generatorBatchNorm": flag_bool,
    "network.generatorChannels": int_list,
    "network.discriminatorChannels": int_list,
    "network.kernelSize": positive_int,
    "network.discriminatorBatchNorm": flag_bool,
    **{
        f"optimizers.{player}.{key}": parse
        for player in ("generator", "discriminator")
        for key, parse in {
            "name": list(OPTIMIZER_DEFAULTS),
            "learningRate": float,
            "beta1": float,
            "beta2": float,
            "epsilon": float,
            "decay": float,
            "momentum": float,
        }.items()
    },
}


def kebab(key):
    """`learningRate` -> `learning-rate` (benchmarks/reference/flags.mjs)."""
    return "".join(f"-{c.lower()}" if c.isupper() else c for c in key)


def flag_of(path):
    """config.optimizers.generator.learningRate -> --optimizers-generator-learning-rate."""
    return "--" + "-".join(kebab(part) for part in path.split("."))


def resolve_config(model, given):
    """The model's config: its defaults with the flags given (key path -> value) merged as genzoo merges."""
    defaults = MODELS[model]
    fail = lambda message: sys.exit(f"pytorch_gan.py: error: {message}")  # noqa: E731
    config = {k: v for k, v in defaults.items() if k not in ("network", "optimizers")}
    for path, value in given.items():
        if "." in path:
            continue
        if path not in defaults:
            fail(f"{flag_of(path)}: {model}'s config has no key {path}")
        config[path] = value

    kind = given.get("network.kind", defaults["network"]["kind"])
    network = dict(defaults["network"] if kind == defaults["network"]["kind"] else NETWORK_DEFAULTS[kind])
    for path, value in given.items():
        if path.startswith("network."):
            key = path.split(".", 1)[1]
            if key not in network:
                fail(f"{flag_of(path)}: a {kind} network has no key {key}")
            network[key] = value
    config["network"] = network

    config["optimizers"] = {}
    for player in ("generator", "discriminator"):
        prefix = f"optimizers.{player}."
        name = given.get(prefix + "name")
        optimizer = dict(OPTIMIZER_DEFAULTS[name] if name else defaults["optimizers"][player])
        for path, value in given.items():
            if path.startswith(prefix):
                key = path[len(prefix) :]
                if key not in optimizer:
                    fail(f"{flag_of(path)}: the {optimizer['name']} optimizer has no key {key}")
                optimizer[key] = value
        config["optimizers"][player] = optimizer

    if model == "wgan-gp" and network["kind"] == "dcgan" and network["discriminatorBatchNorm"]:
        fail("the critic of WGAN-GP must not use batch norm (--network-discriminator-batch-norm 0)")
    for key in ("clip", "penaltyWeight"):
        if key in config and not config[key] > 0:
            fail(f"{flag_of(key)} must be positive, got {config[key]}")
    return config


# --------------------------------------------------------------------------------------------- data


def read_idx(path, magic):
    """The array of an idx file (gzipped or raw): uint8 [N, H, W] images (2051) or [N] labels (2049)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    found = int.from_bytes(data[:4], "big")
    assert found == magic, f"{path}: bad magic {found}"
    ndim = magic & 0xFF
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data[4 + 4 * ndim :], dtype=np.uint8).reshape(dims)


def find_file(folder, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    sys.exit(f"pytorch_gan.py: error: {stem}(.gz) not found in {folder}")


def read_f32(path, event_shape):
    """float32 little-endian values, [N, *event_shape]."""
    raw = np.fromfile(path, dtype="<f4")
    size = int(np.prod(event_shape))
    assert raw.size % size == 0, f"{path}: {raw.size} values do not make examples of shape {event_shape}"
    return torch.from_numpy(raw.reshape(-1, *event_shape).astype(np.float32))


class BatchStream:
    """genzoo's BatchStream: each epoch a fresh permutation of the examples, batches of `size`, the last
    partial batch dropped; `next()` gives the indices of the next batch."""

    def __init__(self, n, size, seed):
        self.n, self.size = n, size
        self.per_epoch = n // size
        if self.per_epoch == 0:
            sys.exit(f"pytorch_gan.py: error: batch {size} is larger than the training set ({n} examples)")
        self.generator = torch.Generator().manual_seed(seed)
        self.position = self.per_epoch  # draw a permutation on the first call

    def next(self):
        if self.position == self.per_epoch:
            self.order = torch.randperm(self.n, generator=self.generator)
            self.position = 0
        start = self.position * self.size
        self.position += 1
        return self.order[start : start + self.size]


# ------------------------------------------------------------------------------------------ networks

OUTPUTS = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda x: x}


def dense(n_in, n_out, init):
    """core's Dense: a Glorot-uniform ('glorot', Keras fans = xavier_uniform_) or N(0, 0.02^2) ('dcgan')
    kernel and a zero bias."""
    layer = nn.Linear(n_in, n_out)
    if init == "glorot":
        nn.init.xavier_uniform_(layer.weight)
    else:
        nn.init.normal_(layer.weight, 0.0, 0.02)
    nn.init.zeros_(layer.bias)
    return layer


def glorot_table(rows, cols):
    """A [rows, cols] matrix Glorot-uniform (LabelEmbedding's table)."""
    return nn.Parameter(nn.init.xavier_uniform_(torch.empty(rows, cols)))


def same_padding(kernel):
    """(before, after) padding of TF's 'same' for a stride-2 layer between sizes 2m and m: the total
    k - 2 (at least 0), the smaller half first. k = 4 gives PyTorch's symmetric padding 1."""
    total = max(kernel - 2, 0)
    return total // 2, total - total // 2


class SameConv(nn.Module):
    """core's Conv2D, stride 2, 'same' padding (halves an even height and width), N(0, 0.02^2) kernel."""

    def __init__(self, c_in, c_out, kernel):
        super().__init__()
        self.pad = same_padding(kernel)
        symmetric = self.pad[0] == self.pad[1]
        self.conv = nn.Conv2d(c_in, c_out, kernel, stride=2, padding=self.pad[0] if symmetric else 0)
        self.explicit = None if symmetric else (self.pad[0], self.pad[1], self.pad[0], self.pad[1])
        nn.init.normal_(self.conv.weight, 0.0, 0.02)
        nn.init.zeros_(self.conv.bias)

    def forward(self, x):
        return self.conv(F.pad(x, self.explicit) if self.explicit else x)


class SameConvTranspose(nn.Module):
    """core's Conv2DTranspose, stride 2, 'same' padding (doubles the height and width): the adjoint of
    SameConv, i.e. the gradient of that convolution with respect to its input, which is how TF defines it.

    The parameters are an nn.ConvTranspose2d's (weight [c_in, c_out, k, k], N(0, 0.02^2); zero bias), but
    the forward pass is torch.nn.grad.conv2d_input, the same map (gradients included; checked against
    F.conv_transpose2d to float rounding): Debian's PyTorch 1.13 runs ConvTranspose2d on the CPU as
    slow_conv_transpose2d, a GEMM per example through the reference BLAS it links (about 50 times slower
    for the 128 -> 64 layer at batch 64), while the input gradient of a convolution runs in oneDNN.
    An asymmetric TF padding (before < after, odd k) is the symmetric padding `before` with one more
    input row and column at the end, which the result drops."""

    def __init__(self, c_in, c_out, kernel):
        super().__init__()
        self.before, after = same_padding(kernel)
        self.extra = after - self.before  # 0 or 1
        self.deconv = nn.ConvTranspose2d(c_in, c_out, kernel, stride=2)  # holds the parameters
        nn.init.normal_(self.deconv.weight, 0.0, 0.02)
        nn.init.zeros_(self.deconv.bias)

    def forward(self, x):
        n, _, h, w = x.shape
        size = (n, self.deconv.out_channels, 2 * h + self.extra, 2 * w + self.extra)
        y = torch.nn.grad.conv2d_input(size, self.deconv.weight, x, stride=2, padding=self.before)
        if self.extra:
            y = y[:, :, : 2 * h, : 2 * w]
        return y + self.deconv.bias.view(1, -1, 1, 1)


class MlpGenerator(nn.Module):
    """networks/mlp.ts: Linear -> (BatchNorm1d) -> ReLU per hidden size, Linear -> output activation,
    reshaped to the event shape."""

    def __init__(self, in_dim, event_shape, output, network):
        super().__init__()
        layers, width = [], in_dim
        for size in network["generatorHidden"]:
            layers.append(dense(width, size, "glorot"))
            if network["generatorBatchNorm"]:
                layers.append(nn.BatchNorm1d(size, eps=1e-5, momentum=0.1))
            layers.append(nn.ReLU())
            width = size
        layers.append(dense(width, int(np.prod(event_shape)), "glorot"))
        self.net = nn.Sequential(*layers)
        self.event_shape, self.output = tuple(event_shape), OUTPUTS[output]

    def forward(self, h):
        return self.output(self.net(h)).reshape(h.shape[0], *self.event_shape)


class MlpFeatures(nn.Module):
    """networks/mlp.ts: flatten -> Linear -> LeakyReLU(0.2) per hidden size."""

    def __init__(self, event_shape, hidden):
        super().__init__()
        layers, width = [nn.Flatten()], int(np.prod(event_shape))
        for size in hidden:
            layers += [dense(width, size, "glorot"), nn.LeakyReLU(0.2)]
            width = size
        self.net = nn.Sequential(*layers)
        self.feature_dim = width

    def forward(self, x):
        return self.net(x)


def dcgan_image(event_shape, levels, what):
    if len(event_shape) != 3:
        sys.exit(f"pytorch_gan.py: error: {what}: the DCGAN network needs images, got examples of shape {event_shape}")
    _, height, width = event_shape
    if height % 2**levels or width % 2**levels:
        sys.exit(f"pytorch_gan.py: error: {what}: {levels} stride-2 layers need {height}x{width} divisible by {2**levels}")
    return event_shape


class DcganGenerator(nn.Module):
    """networks/dcgan.ts: Linear(z -> s*s*c0) reshaped to c0 x s x s, BatchNorm2d, ReLU, then a stride-2
    transposed convolution per channel pair (BN + ReLU after all but the last, which gives the image's
    channels) and the output activation. genzoo reshapes the projection to [s, s, c0] (NHWC), here to
    [c0, s, s]: a fixed permutation of i.i.d.-initialized units, the same model."""

    def __init__(self, in_dim, image, output, network):
        super().__init__()
        channels, kernel = network["generatorChannels"], network["kernelSize"]
        if kernel < 1:
            sys.exit("pytorch_gan.py: error: --network-kernel-size must be positive")
        c_img, height, width = image
        factor = 2 ** len(channels)
        self.start = (channels[0], height // factor, width // factor)
        self.project = dense(in_dim, int(np.prod(self.start)), "dcgan")
        layers = [nn.BatchNorm2d(channels[0], eps=1e-5, momentum=0.1), nn.ReLU()]
        targets = [*channels[1:], c_img]
        for i, (c_in, c_out) in enumerate(zip(channels, targets)):
            layers.append(SameConvTranspose(c_in, c_out, kernel))
            if i < len(channels) - 1:
                layers += [nn.BatchNorm2d(c_out, eps=1e-5, momentum=0.1), nn.ReLU()]
        self.net = nn.Sequential(*layers)
        self.output = OUTPUTS[output]

    def forward(self, h):
        return self.output(self.net(self.project(h).reshape(h.shape[0], *self.start)))


class DcganFeatures(nn.Module):
    """networks/dcgan.ts: a stride-2 convolution per channel count, BatchNorm2d after all but the first
    (with discriminatorBatchNorm; always the batch's statistics), LeakyReLU(0.2), flattened. The features
    are C x H x W here and H x W x C in genzoo: a permutation before an i.i.d.-initialized head."""

    def __init__(self, image, network):
        super().__init__()
        channels, kernel = network["discriminatorChannels"], network["kernelSize"]
        c_in, height, width = image
        layers = []
        for i, c_out in enumerate(channels):
            layers.append(SameConv(c_in, c_out, kernel))
            if network["discriminatorBatchNorm"] and i > 0:
                layers.append(nn.BatchNorm2d(c_out, eps=1e-5, momentum=0.1, track_running_stats=False))
            layers.append(nn.LeakyReLU(0.2))
            c_in, height, width = c_out, height // 2, width // 2
        self.net = nn.Sequential(*layers, nn.Flatten())
        self.feature_dim = c_in * height * width

    def forward(self, x):
        return self.net(x)


class Generator(nn.Module):
    """G(z, y) = net([z, yE]) (cgan: E the label embedding, networks/conditioning.ts), or net(z)."""

    def __init__(self, config, event_shape, classes):
        super().__init__()
        network = config["network"]
        embedding = config.get("embeddingDim", 0) if classes else 0
        self.embedding = glorot_table(classes, embedding) if embedding else None
        in_dim = config["latentDim"] + embedding
        if network["kind"] == "mlp":
            self.net = MlpGenerator(in_dim, event_shape, config["output"], network)
        else:
            image = dcgan_image(event_shape, len(network["generatorChannels"]), "network.generatorChannels")
            self.net = DcganGenerator(in_dim, image, config["output"], network)

    def forward(self, z, y=None):
        if self.embedding is not None:
            z = torch.cat([z, y @ self.embedding], 1)
        return self.net(z)


class Discriminator(nn.Module):
    """D(x, y) = head(phi(x)) + sum_j (yV)_j phi_j(x) (the projection discriminator, cgan), or head(phi(x)):
    one logit or critic value per example."""

    def __init__(self, config, event_shape, classes):
        super().__init__()
        network = config["network"]
        if network["kind"] == "mlp":
            self.body = MlpFeatures(event_shape, network["discriminatorHidden"])
        else:
            image = dcgan_image(event_shape, len(network["discriminatorChannels"]), "network.discriminatorChannels")
            self.body = DcganFeatures(image, network)
        features = self.body.feature_dim
        self.head = dense(features, 1, "glorot" if network["kind"] == "mlp" else "dcgan")
        self.projection = glorot_table(classes, features) if classes else None

    def forward(self, x, y=None):
        phi = self.body(x)
        out = self.head(phi).squeeze(1)
        if self.projection is not None:
            out = out + ((y @ self.projection) * phi).sum(1)
        return out


class TfRMSprop(torch.optim.Optimizer):
    """tf.train.rmsprop, not centered (tfjs-core's RMSPropOptimizer): ms <- rho ms + (1 - rho) g^2,
    mom <- mu mom + lr g / sqrt(ms + eps), theta <- theta - mom, with ms and mom starting at zero."""

    def __init__(self, params, lr, decay, momentum, eps):
        super().__init__(params, {"lr": lr, "decay": decay, "momentum": momentum, "eps": eps})

    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if not state:
                    state["ms"], state["mom"] = torch.zeros_like(p), torch.zeros_like(p)
                ms, mom = state["ms"], state["mom"]
                ms.mul_(group["decay"]).addcmul_(p.grad, p.grad, value=1 - group["decay"])
                mom.mul_(group["momentum"]).addcdiv_(p.grad, (ms + group["eps"]).sqrt_(), value=group["lr"])
                p.sub_(mom)


def make_optimizer(parameters, o, rmsprop_update="tf"):
    """The torch.optim counterpart of core's createOptimizer (training/optimizers.ts)."""
    if o["name"] == "adam":
        return torch.optim.Adam(parameters, lr=o["learningRate"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
    if o["name"] == "adamax":
        return torch.optim.Adamax(parameters, lr=o["learningRate"], betas=(o["beta1"], o["beta2"]), eps=o["epsilon"])
    if o["name"] == "rmsprop":
        if rmsprop_update == "tf":
            return TfRMSprop(parameters, o["learningRate"], o["decay"], o["momentum"], o["epsilon"])
        # eps outside the root: g / (sqrt(ms) + eps) (see the module docstring).
        return torch.optim.RMSprop(
            parameters, lr=o["learningRate"], alpha=o["decay"], eps=o["epsilon"], momentum=o["momentum"]
        )
    return torch.optim.SGD(parameters, lr=o["learningRate"], momentum=o["momentum"])


# ---------------------------------------------------------------------------------------------- losses


def discriminator_loss(wasserstein, real, fake):
    if wasserstein:
        return fake.mean() - real.mean()
    return F.softplus(-real).mean() + F.softplus(fake).mean()


def generator_loss(kind, fake):
    if kind == "wasserstein":
        return -fake.mean()
    if kind == "minimax":
        return -F.softplus(fake).mean()
    return F.softplus(-fake).mean()


def gradient_penalty(D, real, fake, y, weight):
    """losses/gradient-penalty.ts: lambda * mean((|grad_x^ sum D(x^)| - 1)^2), x^ = fake + eps(real - fake)."""
    eps = torch.rand(real.shape[0], *([1] * (real.dim() - 1)))
    x_hat = (fake + eps * (real - fake)).requires_grad_(True)
    (grad,) = torch.autograd.grad(D(x_hat, y).sum(), x_hat, create_graph=True)
    norms = torch.sqrt(grad.pow(2).flatten(1).sum(1) + 1e-12)
    return weight * (norms - 1).pow(2).mean()


# ------------------------------------------------------------------------------------------------ main


def draw_noise(prior, n, dim, generator=None):
    if prior == "normal":
        return torch.randn(n, dim, generator=generator)
    return torch.rand(n, dim, generator=generator) * 2 - 1


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, choices=list(MODELS))
    p.add_argument("--recipe", default="", help="the genzoo recipe this run reproduces (for the results table)")
    p.add_argument("--dataset", required=True, choices=["fashion-mnist", "8gaussians"])
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--train-file", default="", help="genzoo's training points, float32 [N, 2] (8gaussians)")
    p.add_argument("--train-format", choices=["f32"], default="f32")
    p.add_argument(
        "--test-file", default="", help="accepted for benchmarks/reference/pytorch.mjs's testSet; not read here"
    )
    p.add_argument("--test-format", choices=["f32"], default="f32")
    # The model's config, one flag per leaf (see the module docstring); None: the model's default.
    for path, parse in LEAVES.items():
        if isinstance(parse, list):
            p.add_argument(flag_of(path), dest=path, choices=parse, default=None)
        else:
            p.add_argument(flag_of(path), dest=path, type=parse, default=None)
    # Training and output.
    p.add_argument("--train-steps", type=positive_int, default=1000)
    p.add_argument("--batch", type=positive_int, default=64)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=positive_int, default=1)
    p.add_argument(
        "--warmup-steps",
        type=int,
        default=0,
        help="steps trained before the clock starts (examples_per_second counts the steps after them)",
    )
    p.add_argument(
        "--rmsprop-update",
        choices=["tf", "torch"],
        default="tf",
        help="RMSProp as tf.train.rmsprop (eps inside the root, genzoo's) or torch.optim.RMSprop (outside)",
    )
    p.add_argument("--log-every", type=positive_int, default=50, help="steps per --losses-out entry")
    p.add_argument("--samples", type=int, default=10000, help="examples to write to --samples-out")
    p.add_argument("--samples-out", default="", help="float32 NHWC samples (and PATH.labels for cgan)")
    p.add_argument("--losses-out", default="", help="JSON list of {step, discriminator, generator}")
    p.add_argument("--dry-run", action="store_true", help="check the flags, build the model, print {ok: true}")
    a = p.parse_args(argv)
    given = {path: getattr(a, path) for path in LEAVES if getattr(a, path) is not None}
    a.config = resolve_config(a.model, given)
    return a


def main():
    a = parse_args()
    config = a.config
    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)

    image = a.dataset == "fashion-mnist"
    event_shape = (1, 28, 28) if image else (2,)
    classes = 10 if a.model == "cgan" else 0
    if classes and not image:
        sys.exit(f"pytorch_gan.py: error: cgan needs labelled data; {a.dataset} has no labels")
    G = Generator(config, event_shape, classes)
    D = Discriminator(config, event_shape, classes)
    opt_g = make_optimizer(G.parameters(), config["optimizers"]["generator"], a.rmsprop_update)
    opt_d = make_optimizer(D.parameters(), config["optimizers"]["discriminator"], a.rmsprop_update)
    if a.dry_run:
        n_params = {"generator": sum(q.numel() for q in G.parameters()), "discriminator": sum(q.numel() for q in D.parameters())}
        print(json.dumps({"ok": True, "parameters": n_params}))
        return

    labels = None
    if image:
        raw = read_idx(find_file(a.data_dir, "train-images-idx3-ubyte"), 2051)
        assert raw.shape[1:] == event_shape[1:], f"{a.data_dir}: images of {raw.shape[1:]}, expected 28x28"
        train = torch.from_numpy(raw.astype(np.float32) * (2 / 255) - 1).unsqueeze(1)  # [N, 1, H, W]
        if classes:
            labels = torch.from_numpy(read_idx(find_file(a.data_dir, "train-labels-idx1-ubyte"), 2049).astype(np.int64))
            assert len(labels) == len(train) and int(labels.max()) < classes
    else:
        if not a.train_file:
            sys.exit("pytorch_gan.py: error: --dataset 8gaussians reads genzoo's training points from --train-file")
        train = read_f32(a.train_file, event_shape)
    onehot = torch.eye(classes) if classes else None

    wasserstein = a.model in ("wgan", "wgan-gp")
    g_kind = "wasserstein" if wasserstein else config["loss"]
    clip = config.get("clip") if a.model == "wgan" else None
    penalty = config.get("penaltyWeight") if a.model == "wgan-gp" else None
    d_steps, latent, prior = config["discriminatorSteps"], config["latentDim"], config["noise"]
    stream = BatchStream(len(train), a.batch, a.seed)
    d_params = list(D.parameters())
    n_params = {"generator": sum(q.numel() for q in G.parameters()), "discriminator": sum(q.numel() for q in d_params)}
    print(f"{a.model} on {a.dataset}: {n_params} parameters, {a.train_steps} steps of {a.batch}", file=sys.stderr)

    def real_batch():
        idx = stream.next()
        return train[idx], (onehot[labels[idx]] if classes else None)

    losses, window = [], {"discriminator": 0.0, "generator": 0.0, "steps": 0}
    G.train()
    D.train()
    warmup = min(max(a.warmup_steps, 0), a.train_steps - 1)
    start = time.time()
    for step in range(1, a.train_steps + 1):
        # The discriminator (critic): d_steps updates, each on a fresh real batch and fresh noise.
        d_total = 0.0
        for _ in range(d_steps):
            x, y = real_batch()
            with torch.no_grad():  # G in training mode: its batch norm uses and tracks batch statistics
                fake = G(draw_noise(prior, a.batch, latent), y)
            loss = discriminator_loss(wasserstein, D(x, y), D(fake, y))
            if penalty is not None:
                loss = loss + gradient_penalty(D, x, fake, y, penalty)
            opt_d.zero_grad(set_to_none=True)
            loss.backward()
            opt_d.step()
            if clip is not None:
                with torch.no_grad():
                    for q in d_params:
                        q.clamp_(-clip, clip)
            d_total += loss.item()
        # The generator: one update; its batch of the stream gives only the size and the labels.
        _, y = real_batch()
        for q in d_params:
            q.requires_grad_(False)
        g_loss = generator_loss(g_kind, D(G(draw_noise(prior, a.batch, latent), y), y))
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        for q in d_params:
            q.requires_grad_(True)

        d_mean, g_value = d_total / d_steps, g_loss.item()
        if not (math.isfinite(d_mean) and math.isfinite(g_value)):
            sys.exit(f"pytorch_gan.py: error: non-finite loss in step {step} (D {d_mean}, G {g_value})")
        window["discriminator"] += d_mean
        window["generator"] += g_value
        window["steps"] += 1
        if step % a.log_every == 0 or step == a.train_steps:
            n = window.pop("steps")
            losses.append({"step": step, **{k: v / n for k, v in window.items()}})
            window = {"discriminator": 0.0, "generator": 0.0, "steps": 0}
            if step % (10 * a.log_every) == 0 or step == a.train_steps:
                last = losses[-1]
                print(
                    f"  step {step}/{a.train_steps} D {last['discriminator']:.4f} G {last['generator']:.4f}",
                    file=sys.stderr,
                )
        if step == warmup:
            start = time.time()
    seconds = time.time() - start
    timed = a.train_steps - warmup

    samples_file = None
    if a.samples_out:
        G.eval()  # batch norm with its running averages, as genzoo's sample()
        generator = torch.Generator().manual_seed(a.seed)
        sample_labels = torch.arange(a.samples) % classes if classes else None
        with torch.no_grad():
            chunks = []
            for i in range(0, a.samples, 1000):
                n = min(1000, a.samples - i)
                y = onehot[sample_labels[i : i + n]] if classes else None
                chunks.append(G(draw_noise(prior, n, latent, generator), y))
            x = torch.cat(chunks) if chunks else torch.zeros(0, *event_shape)
        if image:
            x = x.permute(0, 2, 3, 1)  # NCHW -> genzoo's NHWC
        x.contiguous().numpy().astype("<f4").tofile(a.samples_out)
        if classes:
            sample_labels.numpy().astype(np.uint8).tofile(a.samples_out + ".labels")
        samples_file = a.samples_out
    if a.losses_out:
        with open(a.losses_out, "w") as f:
            json.dump(losses, f)

    examples = timed * (d_steps + 1) * a.batch
    print(
        json.dumps(
            {
                "recipe": a.recipe,
                "model": a.model,
                "dataset": a.dataset,
                "steps": a.train_steps,
                "seconds": seconds,
                "examples_per_second": examples / seconds if seconds > 0 else None,
                "steps_per_second": timed / seconds if seconds > 0 else None,
                "warmup_steps": warmup,
                "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "backend": "pytorch-cpu",
                "threads": torch.get_num_threads(),
                "torch": torch.__version__,
                "blas": blas_info(),
                "parameters": n_params,
                "samples_file": samples_file,
                "losses_file": a.losses_out or None,
                "config": config,
            }
        )
    )


if __name__ == "__main__":
    main()
