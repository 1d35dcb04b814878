"""PyTorch reference for genzoo's flow recipes (@genzoo/flows): NICE, RealNVP (vectors and the multi-scale
image model), Glow, MAF and IAF with the same architecture, initialization scheme, optimizer, batch size,
step budget and data protocol as the genzoo recipe named by --recipe <model>/<name>, so that genzoo's exact
test -log p(x) can be compared with a carefully written PyTorch implementation. The architecture flags are
the model's config keys as genzoo's schema completes them (benchmarks/suites/flows.mjs builds them from the
recipe objects; `couplingsPerScale` -> `--couplings-per-scale`); nothing here is specific to one recipe.
Training takes `--train-steps` (Glow's config key `steps` is its steps of flow per level, `--steps`).

Every layer mirrors packages/flows/src (the file named in its docstring). Flows run in the normalizing
direction x -> z; every layer returns (y, log|det dy/dx|) per example, and log p(x) = log p_Z(z) + sum of
the log-dets. Images are NCHW here and NHWC in genzoo: channel c here is genzoo's last-axis channel c, so
channel splits, squeeze order and factor-out are the same maps (flattened vectors keep genzoo's H, W, C
order).

Data protocol (packages/flows/src/common/recipes/protocol.ts):
- 2-D sets (`--data continuous`): genzoo's own training and test points, written by
  benchmarks/reference/pytorch.mjs as float32 (`--train-file`, `--test-file`, `--*-format f32`), so both
  implementations train and are scored on identical points; the metric is the test -log p(x) in nats.
- Images (`--data dequantized`): Fashion-MNIST bytes k from --data-dir, each training batch dequantized
  afresh, y = (k + u)/256 with u ~ U[0, 1) capped at 1 - 2^-16 (genzoo's transforms/dequantize.ts); the test
  set is genzoo's one fixed draw (the very values its evaluation reads, `--test-file`, f32 [N, H, W, C]).
  nll = -log p(y) + D log 256 nats, bits/dim = nll / (D ln 2).
Training: Adam(lr, betas 0.9/0.999, eps 1e-8), `--train-steps` steps of `--batch`, reshuffled every epoch
(the last partial batch dropped, as genzoo's BatchStream does), loss = batch mean of -log p(x); ActNorm
layers are initialized from the first training batch, which step 1 then trains on (genzoo's Trainer).
Initialization as genzoo's: Glorot-uniform kernels (Keras fans), zero biases, zero-initialized last
conditioner layers, LU 1x1 convolutions from a random rotation (values differ, the scheme is the same).

Prints progress on stderr and one JSON object (a results row) on its last stdout line.
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

LOG_2PI = math.log(2 * math.pi)


# --------------------------------------------------------------------------------------------- data


def read_idx_images(path):
    """uint8 [N, H, W] of an idx3 file (gzipped or raw)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    assert magic == 2051, f"{path}: bad magic {magic}"
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(3)]
    return np.frombuffer(data[16:], dtype=np.uint8).reshape(dims)


def find_file(folder, stem):
    for name in (stem + ".gz", stem):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            return path
    raise SystemExit(f"{stem}(.gz) not found in {folder}")


def read_f32(path, event_shape):
    """float32 little-endian values, [N, *event_shape]."""
    raw = np.fromfile(path, dtype="<f4")
    size = int(np.prod(event_shape))
    assert raw.size % size == 0, f"{path}: {raw.size} values do not make examples of shape {event_shape}"
    return torch.from_numpy(raw.reshape(-1, *event_shape).astype(np.float32))


# U capped as genzoo caps it, so that k + u stays below k + 1 in float32.
U_MAX = 1 - 2**-16


def dequantize(k):
    """(k + u)/256, u ~ U[0, 1) capped at 1 - 2^-16, one fresh draw per value."""
    u = torch.rand(k.shape).clamp_(max=U_MAX)
    return (k + u) / 256


# ------------------------------------------------------------------------------------ initializers


def glorot_linear(n_in, n_out, zero=False):
    """A dense layer as genzoo's Dense: Glorot-uniform kernel (fans in/out), zero bias; or all zeros."""
    layer = nn.Linear(n_in, n_out)
    if zero:
        nn.init.zeros_(layer.weight)
    else:
        nn.init.xavier_uniform_(layer.weight)
    nn.init.zeros_(layer.bias)
    return layer


def glorot_conv(c_in, c_out, kernel, zero=False):
    """genzoo's Conv2D ('same' padding, stride 1): Glorot-uniform with fans k*k*channels, zero bias."""
    conv = nn.Conv2d(c_in, c_out, kernel, padding=kernel // 2)
    if zero:
        nn.init.zeros_(conv.weight)
    else:
        nn.init.xavier_uniform_(conv.weight)
    nn.init.zeros_(conv.bias)
    return conv


ACTIVATIONS = {
    "relu": F.relu,
    "tanh": torch.tanh,
    "elu": F.elu,
    "leakyRelu": lambda x: F.leaky_relu(x, 0.2),
    "softplus": F.softplus,
}


def event_sum(t):
    """Sum over every axis but the batch axis: [B, ...] -> [B]."""
    return t.reshape(t.shape[0], -1).sum(1)


# ---------------------------------------------------------------------------------------- bijectors


class Bijector(nn.Module):
    """forward(x) -> (f(x), log|det df/dx|) and inverse(y) -> (f^-1(y), log|det df^-1/dy|), per example.
    `in_shape`/`out_shape`: the event shapes (NCHW images (C, H, W), vectors (D,))."""

    def initialize(self, x):
        pass


class Chain(Bijector):
    """bijectors/chain.ts: layers in order, log-dets summed; initialize runs each layer's initialization
    on its predecessor's outputs."""

    def __init__(self, layers):
        super().__init__()
        self.layers = nn.ModuleList(layers)
        for a, b in zip(layers[:-1], layers[1:]):
            assert tuple(a.out_shape) == tuple(b.in_shape), f"{type(a).__name__} -> {type(b).__name__}"
        self.in_shape, self.out_shape = layers[0].in_shape, layers[-1].out_shape

    def forward(self, x):
        log_det = x.new_zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return x, log_det

    def inverse(self, y):
        log_det = y.new_zeros(y.shape[0])
        for layer in reversed(self.layers):
            y, ld = layer.inverse(y)
            log_det = log_det + ld
        return y, log_det

    @torch.no_grad()
    def initialize(self, x):
        for layer in self.layers:
            layer.initialize(x)
            x = layer(x)[0]


class Flatten(Bijector):
    """bijectors/reshape.ts: images to vectors, in genzoo's (H, W, C) order."""

    def __init__(self, shape):
        super().__init__()
        self.in_shape, self.out_shape = tuple(shape), (int(np.prod(shape)),)

    def forward(self, x):
        if len(self.in_shape) == 3:
            x = x.permute(0, 2, 3, 1)
        return x.reshape(x.shape[0], -1), x.new_zeros(x.shape[0])

    def inverse(self, y):
        if len(self.in_shape) == 3:
            c, h, w = self.in_shape
            return y.reshape(-1, h, w, c).permute(0, 3, 1, 2), y.new_zeros(y.shape[0])
        return y.reshape(-1, *self.in_shape), y.new_zeros(y.shape[0])


class Logit(Bijector):
    """bijectors/logit.ts: y = logit(a + (1 - 2a) x), log|det| = sum log(1 - 2a) + softplus(y) + softplus(-y)."""

    def __init__(self, shape, alpha):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)
        self.alpha = alpha

    def log_det_at(self, y):
        return event_sum(F.softplus(y) + F.softplus(-y) + math.log(1 - 2 * self.alpha))

    def forward(self, x):
        s = x * (1 - 2 * self.alpha) + self.alpha
        y = torch.log(s) - torch.log1p(-s)
        return y, self.log_det_at(y)

    def inverse(self, y):
        return (torch.sigmoid(y) - self.alpha) / (1 - 2 * self.alpha), -self.log_det_at(y)


class Center(Bijector):
    """bijectors/fixed-affine.ts with scale 1 and shift -1/2 (Glow's centring): log|det| = 0."""

    def __init__(self, shape):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)

    def forward(self, x):
        return x - 0.5, x.new_zeros(x.shape[0])

    def inverse(self, y):
        return y + 0.5, y.new_zeros(y.shape[0])


def preprocessing(kind, shape, alpha):
    """bijectors/preprocessing.ts."""
    if kind == "none":
        return []
    if kind == "logit":
        return [Logit(shape, alpha)]
    if kind == "center":
        return [Center(shape)]
    raise SystemExit(f"unknown preprocess {kind!r} (none, logit, center)")


def channel_view(shape, v):
    """A per-channel vector v [C] shaped to broadcast over events of `shape` (the channel axis: 0 of
    NCHW images, the last of vectors)."""
    return v.view(-1, 1, 1) if len(shape) == 3 else v


class ActNorm(Bijector):
    """bijectors/actnorm.ts: y = (x + b) exp(log s) per channel, log|det| = positions * sum log s; on the
    first batch b = -mean, log s = -log(std + 1e-6) per channel (population std over batch and positions)."""

    def __init__(self, shape):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)
        channels = shape[0] if len(shape) == 3 else shape[-1]
        self.positions = shape[1] * shape[2] if len(shape) == 3 else int(np.prod(shape[:-1]))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.log_scale = nn.Parameter(torch.zeros(channels))
        self.register_buffer("initialized", torch.tensor(0))

    @torch.no_grad()
    def initialize(self, x):
        if self.initialized.item() == 1:
            return
        axes = [0, 2, 3] if len(self.in_shape) == 3 else list(range(x.dim() - 1))
        mean = x.mean(axes)
        var = ((x - channel_view(self.in_shape, mean)) ** 2).mean(axes)
        self.bias.copy_(-mean)
        self.log_scale.copy_(-torch.log(torch.sqrt(var) + 1e-6))
        self.initialized.fill_(1)

    def forward(self, x):
        b, ls = channel_view(self.in_shape, self.bias), channel_view(self.in_shape, self.log_scale)
        return (x + b) * torch.exp(ls), (self.positions * self.log_scale.sum()).expand(x.shape[0])

    def inverse(self, y):
        b, ls = channel_view(self.in_shape, self.bias), channel_view(self.in_shape, self.log_scale)
        return y * torch.exp(-ls) - b, (-self.positions * self.log_scale.sum()).expand(y.shape[0])


class DiagonalScaling(Bijector):
    """bijectors/diagonal-scaling.ts (NICE's S): y = x exp(s), s per dimension from 0, log|det| = sum s."""

    def __init__(self, shape):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)
        self.log_scale = nn.Parameter(torch.zeros(*shape))

    def forward(self, x):
        return x * torch.exp(self.log_scale), self.log_scale.sum().expand(x.shape[0])

    def inverse(self, y):
        return y * torch.exp(-self.log_scale), (-self.log_scale.sum()).expand(y.shape[0])


class Reverse(Bijector):
    """bijectors/permutation.ts, kind `reverse`: the last axis reversed, log|det| = 0."""

    def __init__(self, shape):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)

    def forward(self, x):
        return x.flip(-1), x.new_zeros(x.shape[0])

    def inverse(self, y):
        return y.flip(-1), y.new_zeros(y.shape[0])


class Squeeze(Bijector):
    """bijectors/squeeze.ts: [C, H, W] -> [4C, H/2, W/2]; output channel 4c + 2di + dj holds channel c at
    offset (di, dj) of its 2x2 block (genzoo's, i.e. Glow's, order)."""

    def __init__(self, shape):
        super().__init__()
        c, h, w = shape
        assert h % 2 == 0 and w % 2 == 0, f"squeeze needs even H and W, got {shape}"
        self.in_shape, self.out_shape = tuple(shape), (4 * c, h // 2, w // 2)

    def forward(self, x):
        c, h, w = self.in_shape
        y = x.reshape(-1, c, h // 2, 2, w // 2, 2).permute(0, 1, 3, 5, 2, 4)
        return y.reshape(-1, 4 * c, h // 2, w // 2), x.new_zeros(x.shape[0])

    def inverse(self, y):
        c, h, w = self.in_shape
        x = y.reshape(-1, c, 2, 2, h // 2, w // 2).permute(0, 1, 4, 2, 5, 3)
        return x.reshape(-1, c, h, w), y.new_zeros(y.shape[0])


class InvertibleConv1x1(Bijector):
    """bijectors/invertible-conv1x1.ts: y = W x at every position, log|det| = positions * log|det W|, W
    initialized as a random rotation (QR of a Gaussian matrix, R's diagonal made positive: the
    Gram-Schmidt Q of linalg/rotation.ts). `lu`: W = P L (U + diag(sign * exp(log|s|))) with P, sign fixed
    from the LU decomposition (partial pivoting) of the rotation, L unit lower and U strictly upper
    triangular (full C x C parameters, masked, as genzoo stores them); log|det W| = sum log|s|.
    `plain`: W learned directly, log|det W| from slogdet."""

    def __init__(self, shape, kind, generator):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)
        self.kind = kind
        c = shape[0] if len(shape) == 3 else shape[-1]
        self.positions = shape[1] * shape[2] if len(shape) == 3 else 1
        gaussian = torch.randn(c, c, generator=generator, dtype=torch.float64)
        q, r = torch.linalg.qr(gaussian)
        q = q * torch.sign(torch.diagonal(r))
        if kind == "plain":
            self.weight = nn.Parameter(q.float())
        elif kind == "lu":
            p, lower, upper = torch.linalg.lu(q)
            diag = torch.diagonal(upper)
            self.register_buffer("p", p.float())
            self.register_buffer("sign", torch.sign(diag).float())
            self.register_buffer("lower_mask", torch.tril(torch.ones(c, c), -1))
            self.register_buffer("upper_mask", torch.triu(torch.ones(c, c), 1))
            self.register_buffer("eye", torch.eye(c))
            self.lower = nn.Parameter(torch.tril(lower, -1).float())
            self.upper = nn.Parameter(torch.triu(upper, 1).float())
            self.log_s = nn.Parameter(torch.log(torch.abs(diag)).float())
        else:
            raise SystemExit(f"unknown conv1x1 {kind!r} (lu, plain)")

    def matrix(self):
        if self.kind == "plain":
            return self.weight, torch.linalg.slogdet(self.weight)[1]
        lower = self.lower * self.lower_mask + self.eye
        upper = self.upper * self.upper_mask + torch.diag(self.sign * torch.exp(self.log_s))
        return self.p @ (lower @ upper), self.log_s.sum()

    def mix(self, x, w):
        if len(self.in_shape) == 3:
            return F.conv2d(x, w.reshape(*w.shape, 1, 1))
        return x @ w.t()

    def forward(self, x):
        w, log_abs_det = self.matrix()
        return self.mix(x, w), (self.positions * log_abs_det).expand(x.shape[0])

    def inverse(self, y):
        w, log_abs_det = self.matrix()
        return self.mix(y, torch.inverse(w)), (-self.positions * log_abs_det).expand(y.shape[0])


# ------------------------------------------------------------------------------ couplings, partitions


class MaskPartition(nn.Module):
    """bijectors/partitions.ts, mask partitions: m = 1 marks the identity part; the conditioner reads m x
    (the whole event), its outputs are zeroed where m = 1. `alternate` (vectors): m_d = 1[(d + parity) even];
    `checkerboard` (images): m_ij = 1[(i + j + parity) even], the same for every channel."""

    def __init__(self, shape, pattern, parity):
        super().__init__()
        if pattern == "alternate":
            assert len(shape) == 1, "alternate masks are for vectors"
            mask = torch.tensor([1.0 if (d + parity) % 2 == 0 else 0.0 for d in range(shape[0])])
        else:
            assert len(shape) == 3, "checkerboard masks are for images"
            _, h, w = shape
            i, j = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
            mask = ((i + j + parity) % 2 == 0).float().unsqueeze(0).expand(*shape).contiguous()
        self.register_buffer("mask", mask)
        self.identity_shape = self.active_shape = tuple(shape)

    def split(self, x):
        return x * self.mask, x

    def restrict(self, params):
        return params * (1 - self.mask)

    def merge(self, identity, active):
        return active


class ChannelPartition(nn.Module):
    """bijectors/partitions.ts, channel partitions: channels split into the first ceil(C/2) and the rest;
    parity 0 keeps the first as the identity part, parity 1 the rest."""

    def __init__(self, shape, parity):
        super().__init__()
        c = shape[0] if len(shape) == 3 else shape[-1]
        assert c >= 2, f"a channel split needs 2 or more channels, got {shape}"
        self.first, self.rest, self.parity = (c + 1) // 2, c - (c + 1) // 2, parity
        identity, active = (self.first, self.rest) if parity == 0 else (self.rest, self.first)
        self.identity_shape = (identity, *shape[1:]) if len(shape) == 3 else (identity,)
        self.active_shape = (active, *shape[1:]) if len(shape) == 3 else (active,)

    def split(self, x):
        a, b = x[:, : self.first], x[:, self.first :]
        return (a, b) if self.parity == 0 else (b, a)

    def restrict(self, params):
        return params

    def merge(self, identity, active):
        return torch.cat([identity, active] if self.parity == 0 else [active, identity], 1)


def vector_partition(shape, mask, k):
    """partitions.ts vectorPartition: coupling k's partition, parity k mod 2."""
    if mask == "alternate":
        return MaskPartition(shape, "alternate", k % 2)
    if mask == "half":
        return ChannelPartition(shape, k % 2)
    raise SystemExit(f"unknown mask {mask!r} (alternate, half)")


class LogScale(nn.Module):
    """bijectors/scale.ts: `tanh` s = a tanh(raw), a per channel from 1; `sigmoid` s = log sigmoid(raw + 2);
    `exp` s = raw."""

    def __init__(self, kind, shape):
        super().__init__()
        if kind not in ("tanh", "sigmoid", "exp"):
            raise SystemExit(f"unknown scale {kind!r} (tanh, sigmoid, exp)")
        self.kind, self.shape = kind, tuple(shape)
        if kind == "tanh":
            self.factor = nn.Parameter(torch.ones(shape[0] if len(shape) == 3 else shape[-1]))

    def forward(self, raw):
        if self.kind == "tanh":
            return channel_view(self.shape, self.factor) * torch.tanh(raw)
        if self.kind == "sigmoid":
            return -F.softplus(-(raw + 2))
        return raw


class MlpConditioner(nn.Module):
    """conditioners/mlp.ts: the identity values through Dense + activation per hidden layer (the
    activation after the last hidden layer too), then a zero-initialized Dense to P * |x_b| outputs, parameter
    p in [p |x_b|, (p + 1) |x_b|)."""

    def __init__(self, n_in, hidden, n_out, activation):
        super().__init__()
        sizes = [n_in, *hidden]
        self.hidden = nn.ModuleList(glorot_linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        self.out = glorot_linear(sizes[-1], n_out, zero=True)
        self.activation = ACTIVATIONS[activation]

    def forward(self, x):
        h = x.reshape(x.shape[0], -1)
        for layer in self.hidden:
            h = self.activation(layer(h))
        return self.out(h)


class ResnetConditioner(nn.Module):
    """conditioners/convolutional.ts resnetConditioner: conv3x3 to F, B blocks h <- h +
    conv3x3(relu(conv3x3(relu(h)))), relu, a zero-initialized conv3x3 to P * C outputs."""

    def __init__(self, c_in, features, blocks, c_out):
        super().__init__()
        self.input = glorot_conv(c_in, features, 3)
        self.blocks = nn.ModuleList(
            nn.ModuleList([glorot_conv(features, features, 3), glorot_conv(features, features, 3)])
            for _ in range(blocks)
        )
        self.output = glorot_conv(features, c_out, 3, zero=True)

    def forward(self, x):
        h = self.input(x)
        for first, second in self.blocks:
            h = h + second(F.relu(first(F.relu(h))))
        return self.output(F.relu(h))


class GlowConditioner(nn.Module):
    """conditioners/convolutional.ts glowConditioner: conv3x3 (F) -> ReLU -> 1x1 (F, a dense layer over the
    pixels, Glorot fans F/F) -> ReLU -> zero-initialized conv3x3 (P * C)."""

    def __init__(self, c_in, features, c_out):
        super().__init__()
        self.first = glorot_conv(c_in, features, 3)
        self.middle = glorot_conv(features, features, 1)
        self.last = glorot_conv(features, c_out, 3, zero=True)

    def forward(self, x):
        return self.last(F.relu(self.middle(F.relu(self.first(x)))))


def channels_of(shape):
    return shape[0] if len(shape) == 3 else shape[-1]


class AffineCoupling(Bijector):
    """bijectors/affine-coupling.ts: y_b = x_b exp(s(x_a)) + t(x_a), log|det| = sum s; the conditioner's
    output channels are [t | raw s] (halves of the channel axis), s = LogScale(raw), both restricted to x_b."""

    def __init__(self, shape, partition, make_net, scale):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)
        self.partition = partition
        self.net = make_net(partition.identity_shape, partition.active_shape, 2)
        self.log_scale = LogScale(scale, partition.active_shape)

    def params(self, identity):
        shift, raw = self.net(identity).chunk(2, 1)
        shift = shift.reshape(-1, *self.partition.active_shape)
        raw = raw.reshape(-1, *self.partition.active_shape)
        return self.partition.restrict(shift), self.partition.restrict(self.log_scale(raw))

    def forward(self, x):
        identity, active = self.partition.split(x)
        shift, s = self.params(identity)
        return self.partition.merge(identity, active * torch.exp(s) + shift), event_sum(s)

    def inverse(self, y):
        identity, active = self.partition.split(y)
        shift, s = self.params(identity)
        return self.partition.merge(identity, (active - shift) * torch.exp(-s)), -event_sum(s)


class AdditiveCoupling(Bijector):
    """bijectors/additive-coupling.ts: y_b = x_b + m(x_a), log|det| = 0."""

    def __init__(self, shape, partition, make_net):
        super().__init__()
        self.in_shape = self.out_shape = tuple(shape)
        self.partition = partition
        self.net = make_net(partition.identity_shape, partition.active_shape, 1)

    def couple(self, x, sign):
        identity, active = self.partition.split(x)
        shift = self.partition.restrict(self.net(identity).reshape(-1, *self.partition.active_shape))
        return self.partition.merge(identity, active + sign * shift), x.new_zeros(x.shape[0])

    def forward(self, x):
        return self.couple(x, 1)

    def inverse(self, y):
        return self.couple(y, -1)


class FactorOut(Bijector):
    """bijectors/factor-out.ts: x = [h | z_out] (the first ceil(C/2) channels kept), f(x) = [z_out',
    inner(h)] flattened and concatenated; with the learned prior (Glow) z_out' = (z_out - mu(h)) exp(-log
    sigma(h)), [mu | log sigma] from a zero-initialized conv3x3 of h, log|det| -= sum log sigma."""

    def __init__(self, shape, inner, learned_prior):
        super().__init__()
        c, h, w = shape
        self.kept, self.factored = (c + 1) // 2, c - (c + 1) // 2
        assert tuple(inner.in_shape) == (self.kept, h, w)
        self.inner = inner
        self.factored_shape = (self.factored, h, w)
        self.in_shape = tuple(shape)
        self.out_shape = (self.factored * h * w + int(np.prod(inner.out_shape)),)
        self.prior = glorot_conv(self.kept, 2 * self.factored, 3, zero=True) if learned_prior else None

    @torch.no_grad()
    def initialize(self, x):
        self.inner.initialize(x[:, : self.kept])

    def forward(self, x):
        h, out = x[:, : self.kept], x[:, self.kept :]
        inner_y, log_det = self.inner(h)
        if self.prior is not None:
            mean, log_scale = self.prior(h).chunk(2, 1)
            out = (out - mean) * torch.exp(-log_scale)
            log_det = log_det - event_sum(log_scale)
        b = x.shape[0]
        return torch.cat([out.reshape(b, -1), inner_y.reshape(b, -1)], 1), log_det

    def inverse(self, y):
        b = y.shape[0]
        n = self.factored * self.factored_shape[1] * self.factored_shape[2]
        out = y[:, :n].reshape(b, *self.factored_shape)
        h, log_det = self.inner.inverse(y[:, n:].reshape(b, *self.inner.out_shape))
        if self.prior is not None:
            mean, log_scale = self.prior(h).chunk(2, 1)
            out = out * torch.exp(log_scale) + mean
            log_det = log_det + event_sum(log_scale)
        return torch.cat([h, out], 1), log_det


# ----------------------------------------------------------------------------------- autoregressive


def made_masks(dims, hidden, ordering, hidden_degrees, rng):
    """masks/degrees.ts maskSet: input ranks m0 (1..D, or a random permutation), hidden degrees in
    [min of the layer below, D - 1] (even: lo + k mod span; random: uniform), masks 1[m_l(k) >= m_{l-1}(k')]
    and, for the output, 1[m0(d) > m_L(k')]. Returns [fan_in, fan_out] 0/1 arrays."""
    inputs = np.arange(1, dims + 1) if ordering == "natural" else rng.permutation(dims) + 1
    masks, previous = [], inputs
    for size in hidden:
        lo = min(int(previous.min()), dims - 1)
        span = dims - 1 - lo + 1
        degrees = lo + np.arange(size) % span if hidden_degrees == "even" else lo + rng.integers(0, span, size)
        masks.append((degrees[None, :] >= previous[:, None]).astype(np.float32))
        previous = degrees
    masks.append((inputs[None, :] > previous[:, None]).astype(np.float32))
    return masks


class MaskedAffineAutoregressive(Bijector):
    """bijectors/masked-affine-autoregressive.ts with MADE (networks/masked-autoencoder.ts) as conditioner:
    masked dense layers (Glorot kernels over the full [in, out] shape, zero biases; the output layer is
    Glorot too, not zero-initialized, as in genzoo), the activation between layers, output unit 2d + p the
    parameter p of dimension d ([mu_d, raw_d]); alpha = LogScale(raw).
      forward:  z = (x - mu(x)) exp(-alpha(x)),  log|det| = -sum alpha
      inverse:  x = z exp(alpha(x)) + mu(x), solved by D passes from x = 0 (log|det| = sum alpha at the end)."""

    def __init__(self, dims, hidden, activation, ordering, hidden_degrees, scale, rng):
        super().__init__()
        self.in_shape = self.out_shape = (dims,)
        self.dims = dims
        masks = made_masks(dims, hidden, ordering, hidden_degrees, rng)
        # Output unit d * 2 + p belongs to dimension d: each output mask column repeated twice in place.
        masks[-1] = np.repeat(masks[-1], 2, axis=1)
        sizes = [dims, *hidden, 2 * dims]
        self.layers = nn.ModuleList(glorot_linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        for l, m in enumerate(masks):
            self.register_buffer(f"mask{l}", torch.from_numpy(m.T.copy()))  # [out, in], as Linear's weight
        self.activation = ACTIVATIONS[activation]
        self.log_scale = LogScale(scale, (dims,))

    def params(self, x):
        h = x
        for l, layer in enumerate(self.layers):
            h = F.linear(h, layer.weight * getattr(self, f"mask{l}"), layer.bias)
            if l < len(self.layers) - 1:
                h = self.activation(h)
        h = h.reshape(-1, self.dims, 2)
        return h[:, :, 0], self.log_scale(h[:, :, 1])

    def forward(self, x):
        mu, alpha = self.params(x)
        return (x - mu) * torch.exp(-alpha), -alpha.sum(1)

    def inverse(self, z):
        x, alpha = torch.zeros_like(z), torch.zeros_like(z)
        for _ in range(self.dims):
            mu, alpha = self.params(x)
            x = z * torch.exp(alpha) + mu
        return x, alpha.sum(1)


class Inverse(Bijector):
    """bijectors/inverse.ts: a layer run backwards (IAF = the MAF layer inverted)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer
        self.in_shape, self.out_shape = layer.out_shape, layer.in_shape

    def forward(self, x):
        return self.layer.inverse(x)

    def inverse(self, y):
        return self.layer(y)


# ------------------------------------------------------------------------------------------- models


class Base:
    """base/base-distribution.ts: iid standard normal or standard logistic over every latent value."""

    def __init__(self, kind):
        if kind not in ("normal", "logistic"):
            raise SystemExit(f"unknown base {kind!r} (normal, logistic)")
        self.kind = kind

    def log_prob(self, z):
        if self.kind == "normal":
            return event_sum(-0.5 * z**2 - 0.5 * LOG_2PI)
        return event_sum(-z - 2 * F.softplus(-z))


class FlowModel(nn.Module):
    """models/flow-model.ts: log p(x) = log p_Z(f(x)) + log|det df/dx|."""

    def __init__(self, flow, base):
        super().__init__()
        self.flow = flow
        self.base = Base(base)

    def log_prob(self, x):
        z, log_det = self.flow(x)
        return self.base.log_prob(z) + log_det

    @torch.no_grad()
    def initialize(self, x):
        self.flow.initialize(x)


def mlp_factory(hidden, activation):
    def make(identity_shape, active_shape, p):
        return MlpConditioner(int(np.prod(identity_shape)), hidden, p * int(np.prod(active_shape)), activation)

    return make


def vector_prefix(c, shape):
    """Preprocessing, then the flattening of images for vector flows (nice, maf, iaf)."""
    layers = preprocessing(c.preprocess, shape, c.logit_alpha)
    if len(shape) != 1:
        layers.append(Flatten(shape))
    return layers, (int(np.prod(shape)),)


def build_nice(c, shape, generator):
    """nice/model.ts: [preprocess] [flatten] K additive couplings (vectorPartition(mask, k), MLP
    conditioners) and the diagonal scaling."""
    layers, vector = vector_prefix(c, shape)
    make = mlp_factory(c.hidden_units, c.activation)
    for k in range(c.couplings):
        layers.append(AdditiveCoupling(vector, vector_partition(vector, c.mask, k), make))
    layers.append(DiagonalScaling(vector))
    return Chain(layers)


def build_realnvp(c, shape, generator):
    """realnvp/model.ts: vectors: K affine couplings (vectorPartition(mask, k), MLP conditioners) each
    followed by ActNorm with `actnorm`. Images: the multi-scale model; scale l (ResNet conditioners):
    checkerboard couplings of parity i mod 2 (finalCouplings at the last scale, couplingsPerScale before),
    then (not last) squeeze, couplingsPerScale channel couplings of parity i mod 2, factor-out of half the
    channels (no learned prior) with the next scale inside."""
    layers = preprocessing(c.preprocess, shape, c.logit_alpha)

    def coupling(s, partition, make):
        out = [AffineCoupling(s, partition, make, c.scale)]
        if c.actnorm:
            out.append(ActNorm(s))
        return out

    if len(shape) == 1:
        make = mlp_factory(c.hidden_units, c.activation)
        for k in range(c.couplings):
            layers += coupling(shape, vector_partition(shape, c.mask, k), make)
        return Chain(layers)

    def make(identity_shape, active_shape, p):
        return ResnetConditioner(identity_shape[0], c.features, c.blocks, p * active_shape[0])

    def scale(level, s):
        last = level == c.levels - 1
        out = []
        for i in range(c.final_couplings if last else c.couplings_per_scale):
            out += coupling(s, MaskPartition(s, "checkerboard", i % 2), make)
        if not last:
            squeeze = Squeeze(s)
            squeezed = squeeze.out_shape
            out.append(squeeze)
            for i in range(c.couplings_per_scale):
                out += coupling(squeezed, ChannelPartition(squeezed, i % 2), make)
            kept = ((squeezed[0] + 1) // 2, squeezed[1], squeezed[2])
            out.append(FactorOut(squeezed, scale(level + 1, kept), learned_prior=False))
        return Chain(out)

    return Chain(layers + [scale(0, shape)])


def build_glow(c, shape, generator):
    """glow/model.ts: [center] then level l: squeeze, K steps of ActNorm -> 1x1 conv -> coupling
    (ChannelPartition parity 0: x_b the last floor(C/2) channels given the first ceil(C/2)), and (not last)
    the split with the learned (or standard) prior and the next level inside."""
    if len(shape) != 3:
        raise SystemExit("glow is an image flow")

    def make(identity_shape, active_shape, p):
        return GlowConditioner(identity_shape[0], c.features, p * active_shape[0])

    def step(s):
        partition = ChannelPartition(s, 0)
        if c.coupling == "affine":
            coupling = AffineCoupling(s, partition, make, c.scale)
        elif c.coupling == "additive":
            coupling = AdditiveCoupling(s, partition, make)
        else:
            raise SystemExit(f"unknown coupling {c.coupling!r} (affine, additive)")
        return [ActNorm(s), InvertibleConv1x1(s, c.conv1x1, generator), coupling]

    def level(l, s):
        squeeze = Squeeze(s)
        squeezed = squeeze.out_shape
        out = [squeeze]
        for _ in range(c.steps):
            out += step(squeezed)
        if l < c.levels - 1:
            if c.prior not in ("learned", "standard"):
                raise SystemExit(f"unknown prior {c.prior!r} (learned, standard)")
            kept = ((squeezed[0] + 1) // 2, squeezed[1], squeezed[2])
            out.append(FactorOut(squeezed, level(l + 1, kept), learned_prior=c.prior == "learned"))
        return Chain(out)

    return Chain(preprocessing(c.preprocess, shape, c.logit_alpha) + [level(0, shape)])


def build_autoregressive(direction):
    def build(c, shape, generator):
        """maf/model.ts: [preprocess] [flatten], then per layer k: (k > 0, natural ordering) the reverse
        permutation, the masked affine autoregressive layer (IAF: its Inverse), ActNorm with `actnorm`."""
        layers, vector = vector_prefix(c, shape)
        for k in range(c.layers):
            if k > 0 and c.ordering == "natural":
                layers.append(Reverse(vector))
            rng = np.random.default_rng([c.seed, k])
            maf = MaskedAffineAutoregressive(
                vector[0], c.hidden_units, c.activation, c.ordering, c.hidden_degrees, c.scale, rng
            )
            layers.append(maf if direction == "maf" else Inverse(maf))
            if c.actnorm:
                layers.append(ActNorm(vector))
        return Chain(layers)

    return build


BUILDERS = {
    "nice": build_nice,
    "realnvp": build_realnvp,
    "glow": build_glow,
    "maf": build_autoregressive("maf"),
    "iaf": build_autoregressive("iaf"),
}

# Each model's config keys and their defaults (packages/flows/src/*/config.ts); the suite passes every key.
COMMON = {"base": "normal", "preprocess": "none", "logit_alpha": 0.05}
MODEL_KEYS = {
    "nice": {
        "couplings": 4,
        "hidden": "1000,1000,1000,1000,1000",
        "activation": "relu",
        "mask": "alternate",
        **COMMON,
        "base": "logistic",
    },
    "realnvp": {
        "couplings": 8,
        "hidden": "128,128",
        "activation": "relu",
        "mask": "half",
        "levels": 2,
        "couplings_per_scale": 3,
        "final_couplings": 4,
        "features": 32,
        "blocks": 2,
        "scale": "tanh",
        "actnorm": 0,
        **COMMON,
    },
    "glow": {
        "levels": 2,
        "steps": 8,
        "features": 128,
        "coupling": "affine",
        "scale": "sigmoid",
        "conv1x1": "lu",
        "prior": "learned",
        **COMMON,
        "preprocess": "center",
    },
    "maf": {
        "layers": 5,
        "hidden": "512",
        "activation": "relu",
        "ordering": "natural",
        "hidden_degrees": "even",
        "scale": "tanh",
        "actnorm": 0,
        **COMMON,
    },
}
MODEL_KEYS["iaf"] = MODEL_KEYS["maf"]
INT_KEYS = {"couplings", "levels", "couplings_per_scale", "final_couplings", "features", "blocks", "steps", "layers"}


def build_model(model, config, shape, seed):
    generator = torch.Generator().manual_seed(seed)
    return FlowModel(BUILDERS[model](config, shape, generator), config.base)


# --------------------------------------------------------------------------------------------- main


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--recipe", required=True, help="the genzoo recipe this run reproduces, <model>/<name>")
    p.add_argument("--dataset", required=True, help="moons, 8gaussians, checkerboard (2-D) or fashion-mnist")
    p.add_argument("--data", choices=["continuous", "dequantized"], required=True)
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--train-file", default="", help="genzoo's training split, float32 (2-D sets)")
    p.add_argument("--train-format", choices=["f32"], default="f32")
    p.add_argument("--test-file", default="", help="genzoo's test split as it evaluates it, float32")
    p.add_argument("--test-format", choices=["f32"], default="f32")
    p.add_argument("--metric", default="nll_nats", choices=["nll_nats", "bits_per_dim"])
    # Architecture: genzoo's config keys (defaults per model, from MODEL_KEYS).
    for key in sorted({k for keys in MODEL_KEYS.values() for k in keys}):
        kind = int if key in INT_KEYS else float if key == "logit_alpha" else str
        if key == "actnorm":
            kind = int
        p.add_argument("--" + key.replace("_", "-"), dest=key, type=kind, default=None)
    # Training.
    p.add_argument("--train-steps", type=int, required=True)
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument(
        "--warmup-steps",
        type=int,
        default=0,
        help="steps trained before the clock starts (examples_per_second counts the steps after them)",
    )
    p.add_argument("--eval-limit", type=int, default=0, help="evaluate on the first N test examples (0: all)")
    p.add_argument("--eval-batch", type=int, default=500)
    p.add_argument("--dry-run", action="store_true", help="check the flags, build the model, print its size")
    a = p.parse_args(argv)
    a.model = a.recipe.split("/")[0]
    if a.model not in MODEL_KEYS:
        raise SystemExit(f"unknown model {a.model!r} ({', '.join(MODEL_KEYS)})")
    keys = MODEL_KEYS[a.model]
    for key in {k for ks in MODEL_KEYS.values() for k in ks} - set(keys):
        if getattr(a, key) is not None:
            raise SystemExit(f"--{key.replace('_', '-')} is not a {a.model} config key")
        delattr(a, key)
    for key, default in keys.items():
        if getattr(a, key) is None:
            setattr(a, key, default)
    if "hidden" in keys:
        a.hidden_units = [int(h) for h in str(a.hidden).split(",") if h]
    if "actnorm" in keys:
        assert a.actnorm in (0, 1), "--actnorm is 0 or 1"
        a.actnorm = bool(a.actnorm)
    return a


def main():
    a = parse_args()
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    if a.dry_run:
        shape = (2,) if a.data == "continuous" else (1, 28, 28)
        n_params = sum(q.numel() for q in build_model(a.model, a, shape, a.seed).parameters())
        print(json.dumps({"model": a.model, "recipe": a.recipe, "event_shape": shape, "parameters": n_params}))
        return
    if not a.test_file:
        raise SystemExit("--test-file is required: genzoo's test split, written by benchmarks/reference/pytorch.mjs")

    if a.data == "continuous":
        if not a.train_file:
            raise SystemExit("--data continuous reads genzoo's training split from --train-file")
        shape = (2,)
        train = read_f32(a.train_file, shape)
        test = read_f32(a.test_file, shape)
        offset = 0.0
    else:
        if a.dataset != "fashion-mnist":
            raise SystemExit(f"--data dequantized reads Fashion-MNIST idx files, not {a.dataset}")
        raw = read_idx_images(find_file(a.data_dir, "train-images-idx3-ubyte"))
        h, w = raw.shape[1:]
        shape = (1, h, w)
        train = torch.from_numpy(raw.astype(np.float32)).unsqueeze(1)  # the levels k, [N, 1, H, W]
        test = read_f32(a.test_file, (h, w, 1)).permute(0, 3, 1, 2).contiguous()
        k = torch.floor(test * 256)
        assert test.min() >= 0 and test.max() < 1 and (k >= 0).all() and (k <= 255).all(), "not dequantized"
        offset = int(np.prod(shape)) * math.log(256)
    if a.eval_limit:
        test = test[: a.eval_limit]
    dims = int(np.prod(shape))

    model = build_model(a.model, a, shape, a.seed)
    steps_per_epoch = len(train) // a.batch
    if steps_per_epoch == 0:
        raise SystemExit(f"batch {a.batch} is larger than the training set ({len(train)})")
    n_params = sum(q.numel() for q in model.parameters())
    print(f"{a.recipe}: {n_params} parameters, {a.train_steps} steps of {a.batch}", file=sys.stderr)

    def batch_of(idx):
        x = train[idx]
        return dequantize(x) if a.data == "dequantized" else x

    opt = None
    warmup = min(max(a.warmup_steps, 0), max(a.train_steps - 1, 0))
    start = time.time()
    step = 0
    while step < a.train_steps:
        perm = torch.randperm(len(train))
        for i in range(steps_per_epoch):
            if step >= a.train_steps:
                break
            x = batch_of(perm[i * a.batch : (i + 1) * a.batch])
            if opt is None:
                # ActNorm's data-dependent initialization on the first batch (step 1 trains on it too),
                # before the optimizer sees the parameters.
                model.initialize(x)
                opt = torch.optim.Adam(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
            loss = -model.log_prob(x).mean()
            if not torch.isfinite(loss):
                raise SystemExit(f"non-finite loss {loss.item()} in step {step + 1}")
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 100 == 0 or step == a.train_steps:
                print(f"  step {step}/{a.train_steps} nll {loss.item():.4f}", file=sys.stderr)
            if step == warmup:
                start = time.time()
    seconds = time.time() - start
    timed = step - warmup

    model.eval()
    eval_start = time.time()
    with torch.no_grad():
        log_p = torch.cat([model.log_prob(test[i : i + a.eval_batch]) for i in range(0, len(test), a.eval_batch)])
    eval_seconds = time.time() - eval_start
    if not torch.isfinite(log_p).all():
        raise SystemExit(f"{int((~torch.isfinite(log_p)).sum())} test log-likelihoods are not finite")
    nll = -log_p.double().mean().item() + offset
    bpd = nll / (dims * math.log(2))

    dataset = a.dataset + (f" (first {len(test)} test examples)" if a.eval_limit else "")
    print(
        json.dumps(
            {
                "model": a.model,
                "recipe": a.recipe.split("/", 1)[1] if "/" in a.recipe else a.recipe,
                "dataset": dataset,
                "metric": a.metric,
                "value": nll if a.metric == "nll_nats" else bpd,
                "nll_nats": nll,
                "bits_per_dim": bpd,
                "examples_per_second": timed * a.batch / seconds if seconds > 0 else None,
                "steps_per_second": timed / seconds if seconds > 0 else None,
                "warmup_steps": warmup,
                "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "seconds": seconds,
                "eval_seconds": eval_seconds,
                "steps": step,
                "parameters": n_params,
                "backend": f"pytorch-cpu-{torch.get_num_threads()}-thread",
                "torch": torch.__version__,
                "blas": blas_info(),
            }
        )
    )


if __name__ == "__main__":
    main()
