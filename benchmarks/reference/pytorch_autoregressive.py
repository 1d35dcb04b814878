"""PyTorch reference for genzoo's autoregressive recipes (@genzoo/autoregressive): NADE, MADE, PixelCNN and
Gated PixelCNN with the same network, initialization, optimizer, batch size, epochs and data protocol as
the genzoo recipe named by --recipe <model>/<name>, so that genzoo's exact test -log p(x) can be compared
with a carefully written PyTorch implementation. The architecture flags come from the genzoo recipe
objects (benchmarks/suites/autoregressive.mjs builds them); nothing here is specific to one recipe.

Data protocol (packages/autoregressive/src/common/recipes/protocol.ts):
- `--data binarized`: Fashion-MNIST intensities in [0, 1]; every training batch is binarized afresh (a
  Bernoulli draw per pixel and batch), the test set once, with a fixed seed. Bernoulli head.
- `--data 8bit`: the bytes themselves, x = k/255, k in 0..255, no dequantization; the 256-way softmax and
  the discretized logistic mixture are distributions over the 256 values, so -log p(x) is the discrete NLL.
- `--test-file`: the very test images genzoo evaluates on, written by benchmarks/reference/pytorch.mjs,
  one byte per pixel: 0/1 (`--test-format binary`) or k (`--test-format u8`); `--test-labels`: their
  labels, one byte each (for the class-conditional recipe, which reports -log p(x | class)).
Training: Adam(lr, betas 0.9/0.999, eps 1e-8), ceil(epochs * floor(N / batch)) steps, reshuffled every
epoch, loss = batch mean of -log p(x). MADE with V mask sets trains set `step mod V` at every step.
Evaluation: exact -log p(x) in nats per image on the test set and bits/dim = nats / (D ln 2); MADE's
ensemble is log p(x) = log (1/V) sum_v p_v(x). Then --sample-count images are drawn position by position
(the image networks on the receptive-field crop of the pixel being drawn, as genzoo does; exact).
Initialization as genzoo's: Glorot-uniform kernels (Keras fans: receptive field x channels), zero biases.

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


# --------------------------------------------------------------------------------------------- data


def read_idx(path, magic_expected):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    assert magic == magic_expected, f"{path}: bad magic {magic}"
    dims = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(magic & 0xFF)]
    offset = 4 + 4 * len(dims)
    return np.frombuffer(data[offset:], dtype=np.uint8).reshape(dims[0], -1)


def read_images(path):
    """uint8 [N, 784]."""
    return read_idx(path, 2051)


def read_labels(path):
    """uint8 [N]."""
    return read_idx(path, 2049).reshape(-1)


# -------------------------------------------------------------------------------------------- heads


class BernoulliHead:
    """p(x_i = 1 | x_<i) = sigmoid(l_i), one logit per position; the network sees 2x - 1."""

    params_per_position = 1

    def encode(self, x):
        return 2 * x - 1

    def log_prob(self, params, x):
        """params [..., 1], x [...] in {0, 1} -> log p [...]."""
        return -F.binary_cross_entropy_with_logits(params[..., 0], x, reduction="none")

    def sample(self, params):
        return torch.bernoulli(torch.sigmoid(params[..., 0]))


class CategoricalHead:
    """p(x_i = k | x_<i) = softmax(l_i)_k over the K values k = round((K - 1) x); the network sees 2x - 1."""

    def __init__(self, categories):
        self.categories = categories
        self.params_per_position = categories

    def encode(self, x):
        return 2 * x - 1

    def index(self, x):
        return torch.round(x * (self.categories - 1)).clamp(0, self.categories - 1).long()

    def log_prob(self, params, x):
        logp = F.log_softmax(params, -1)
        return logp.gather(-1, self.index(x).unsqueeze(-1))[..., 0]

    def sample(self, params):
        k = torch.distributions.Categorical(logits=params).sample()
        return k.float() / (self.categories - 1)


class LogisticMixtureHead:
    """PixelCNN++'s discretized logistic mixture (Salimans et al. 2017, eq. 2), grayscale, K components.

    Values are the levels y = 2k/(L - 1) - 1 in [-1, 1], bin half-width d = 1/(L - 1); params per pixel
    [K mixture logits | K means | K log-scales (clamped below at -7)]:

      P(y) = sum_k pi_k [sigmoid((y + d - mu_k)/s_k) - sigmoid((y - d - mu_k)/s_k)]

    with the CDF above the top level taken as 1 and below the bottom level as 0. Numerics as
    openai/pixel-cnn (nn.py, discretized_mix_logistic_loss) and genzoo's heads/logistic-mixture.ts:
    log sigmoid(a) = a - softplus(a) at the bottom level, log(1 - sigmoid(b)) = -softplus(b) at the top,
    and where the bin probability is below 1e-5 the density at the bin centre times the bin width
    (log pdf - log((L - 1)/2)). The network sees the levels y themselves.
    """

    def __init__(self, components, levels=256):
        self.components = components
        self.levels = levels
        self.params_per_position = 3 * components

    def centred(self, x):
        k = torch.round(x * (self.levels - 1)).clamp(0, self.levels - 1)
        return k * (2 / (self.levels - 1)) - 1

    def encode(self, x):
        return self.centred(x)

    def split(self, params):
        k = self.components
        logits, means, log_scales = params[..., :k], params[..., k : 2 * k], params[..., 2 * k : 3 * k]
        return logits, means, torch.clamp(log_scales, min=-7.0)

    def log_prob(self, params, x):
        logits, means, log_scales = self.split(params)
        y = self.centred(x).unsqueeze(-1)  # [..., 1], broadcast over the K components
        delta = 1 / (self.levels - 1)
        centred = y - means
        inv_scale = torch.exp(-log_scales)
        plus_in = inv_scale * (centred + delta)
        min_in = inv_scale * (centred - delta)
        cdf_delta = torch.sigmoid(plus_in) - torch.sigmoid(min_in)
        log_cdf_plus = plus_in - F.softplus(plus_in)  # log sigmoid(plus_in), for the bottom level
        log_one_minus_cdf_min = -F.softplus(min_in)  # log (1 - sigmoid(min_in)), for the top level
        mid_in = inv_scale * centred
        log_pdf_mid = mid_in - log_scales - 2 * F.softplus(mid_in)
        interior = torch.where(
            cdf_delta > 1e-5,
            torch.log(torch.clamp(cdf_delta, min=1e-12)),
            log_pdf_mid - math.log((self.levels - 1) / 2),
        )
        per_component = torch.where(
            y < -1 + delta / 2,
            log_cdf_plus,
            torch.where(y > 1 - delta / 2, log_one_minus_cdf_min, interior),
        )
        return torch.logsumexp(per_component + F.log_softmax(logits, -1), -1)

    def sample(self, params):
        """Gumbel-max component, a logistic draw, clipped to [-1, 1] and rounded to a level; in [0, 1]."""
        logits, means, log_scales = self.split(params)
        u = torch.empty_like(logits).uniform_(1e-5, 1 - 1e-5)
        pick = torch.argmax(logits - torch.log(-torch.log(u)), -1, keepdim=True)
        mu = means.gather(-1, pick)[..., 0]
        log_s = log_scales.gather(-1, pick)[..., 0]
        v = torch.empty_like(mu).uniform_(1e-5, 1 - 1e-5)
        y = torch.clamp(mu + torch.exp(log_s) * (torch.log(v) - torch.log1p(-v)), -1, 1)
        steps = (self.levels - 1) / 2
        y = torch.round((y + 1) * steps) / steps - 1
        return (y + 1) / 2


def make_head(a):
    if a.head == "bernoulli":
        return BernoulliHead()
    if a.head == "categorical":
        return CategoricalHead(a.categories)
    if a.head == "logistic-mixture":
        return LogisticMixtureHead(a.components, a.levels)
    raise SystemExit(f"unsupported head {a.head!r} (bernoulli, categorical, logistic-mixture)")


def glorot(*shape):
    """A Glorot-uniform parameter of the given shape (U(+-sqrt(6/(fan_in + fan_out))))."""
    w = torch.empty(*shape)
    nn.init.xavier_uniform_(w)
    return nn.Parameter(w)


def init_glorot(module):
    """Glorot-uniform weights and zero biases for every Linear and Conv2d below `module` (genzoo's
    initializers; PyTorch's own default is Kaiming-uniform with a = sqrt(5)). xavier_uniform_ uses the same
    fan sizes as Keras: in/out channels times the kernel's receptive field."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


# ------------------------------------------------------------------------------------------- models


class AutoregressiveModel(nn.Module):
    """The chain rule over an ordering of the D positions: log p(x) = sum_i log p(x_o(i) | x_o(<i)).

    Subclasses give `params(x, variant, cond)` -> [B, D, P] (the output at position d a function of the
    positions before d only) and optionally a cheaper `position_params(x, d, variant, cond)` -> [B, P].
    x is always the data in [0, 1], [B, D] (D = 784, row-major pixels).
    """

    variants = 1

    def __init__(self, head, dims):
        super().__init__()
        self.head = head
        self.dims = dims

    def order(self, variant):
        return list(range(self.dims))

    def position_params(self, x, d, variant, cond):
        return self.params(x, variant, cond)[:, d]

    def log_prob_under(self, x, variant, cond=None):
        return self.head.log_prob(self.params(x, variant, cond), x).sum(1)

    def log_prob(self, x, cond=None):
        if self.variants == 1:
            return self.log_prob_under(x, 0, cond)
        per_variant = torch.stack([self.log_prob_under(x, v, cond) for v in range(self.variants)], 1)
        return torch.logsumexp(per_variant, 1) - math.log(self.variants)

    @torch.no_grad()
    def sample(self, n, cond=None):
        """n draws, each from one variant chosen uniformly (genzoo's AutoregressiveModel.complete)."""
        chosen = torch.randint(self.variants, (n,))
        out = torch.zeros(n, self.dims)
        for v in range(self.variants):
            rows = torch.nonzero(chosen == v)[:, 0]
            if len(rows) == 0:
                continue
            x = torch.zeros(len(rows), self.dims)
            c = cond[rows] if cond is not None else None
            for d in self.order(v):
                x[:, d] = self.head.sample(self.position_params(x, d, v, c))
            out[rows] = x
        return out


class Nade(AutoregressiveModel):
    """NADE (Larochelle & Murray 2011) for binary vectors in their natural order, on the raw 0/1 x:

      a_1 = c,  a_{d+1} = a_d + x_d W_d        (W: D x H, row d the input weights of x_d)
      h_d = sigmoid(a_d)
      p(x_d = 1 | x_<d) = sigmoid(b_d + V_d . h_d)     (V: D x H)

    All D conditionals cost O(DH) together through the running sum itself, one [B, H] update per d
    (genzoo computes the same a_d = c + sum_{j<d} x_j W_j as an exclusive cumulative sum over a [B, H, D]
    tensor; on one CPU thread the loop, whose [B, H] pieces stay in cache, trains 7x faster than a
    cumulative sum over [B, D, H]). Sampling computes a_d = c + x_<d W_<d for the one d it draws.
    """

    def __init__(self, dims, hidden):
        super().__init__(BernoulliHead(), dims)
        self.W = glorot(dims, hidden)
        self.c = nn.Parameter(torch.zeros(hidden))
        self.V = glorot(dims, hidden)
        self.b = nn.Parameter(torch.zeros(dims))

    def params(self, x, variant=0, cond=None):
        a = self.c.expand(x.shape[0], -1)
        logits = []
        for d in range(self.dims):
            logits.append(torch.sigmoid(a) @ self.V[d])
            a = torch.addcmul(a, x[:, d : d + 1], self.W[d])  # a_{d+1} = a_d + x_d W_d
        return (torch.stack(logits, 1) + self.b).unsqueeze(2)

    def position_params(self, x, d, variant=0, cond=None):
        a = self.c + x[:, :d] @ self.W[:d]
        return (torch.sigmoid(a) @ self.V[d] + self.b[d]).unsqueeze(1)


def made_mask_set(dims, hidden, ordering, hidden_degrees, rng):
    """One MADE mask set (Germain et al. 2015, sec. 4; genzoo masks/degrees.ts):

      inputs:  m0(d) = rank of d in the ordering, 1..D (natural, or a random permutation)
      hidden:  ml(k) in [min_k' m(l-1)(k'), D - 1], uniformly at random (or spread evenly)
      masks:   Ml[k', k] = 1[ml(k) >= m(l-1)(k')]   (hidden),   MO[k', d] = 1[m0(d) > mL(k')]   (output)

    Returns the input degrees and the [fan_in, fan_out] 0/1 masks, hidden layers then output.
    """
    inputs = np.arange(1, dims + 1) if ordering == "natural" else rng.permutation(dims) + 1
    masks, previous = [], inputs
    for size in hidden:
        lo = min(int(previous.min()), dims - 1)
        span = dims - 1 - lo + 1
        if hidden_degrees == "even":
            degrees = lo + np.arange(size) % span
        else:
            degrees = lo + rng.integers(0, span, size)
        masks.append((degrees[None, :] >= previous[:, None]).astype(np.float32))
        previous = degrees
    masks.append((inputs[None, :] > previous[:, None]).astype(np.float32))
    return inputs, masks


ACTIVATIONS = {"relu": F.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "elu": F.elu, "softplus": F.softplus}


class Made(AutoregressiveModel):
    """MADE (Germain, Gregor, Murray & Larochelle 2015): an MLP with masked weights,

      h_1 = act(enc(x) (W_1 . M_1^v) + b_1 [+ y U + u]),  h_l = act(h_{l-1} (W_l . M_l^v) + b_l),
      params = h_L (W_O . M_O^v) + b_O                  (output unit d P + p belongs to dimension d)

    with mask set v of V (one connectivity and ordering each); enc(x) is the head's encoding (2x - 1 for
    the Bernoulli head, as genzoo's Made.networkParams feeds head.encodeInput(x)); the optional one-hot
    class y enters the first hidden layer unmasked. Trained on set `step mod V`; evaluated as the ensemble
    log (1/V) sum_v p_v(x); sampled in set v's ordering.
    """

    def __init__(self, dims, hidden, head, masks, ordering, hidden_degrees, activation, classes, seed):
        super().__init__(head, dims)
        self.variants = masks
        self.activation = ACTIVATIONS[activation]
        p = head.params_per_position
        sizes = [dims, *hidden]
        self.weights = nn.ParameterList([glorot(a, b) for a, b in zip(sizes[:-1], sizes[1:])])
        self.weights.append(glorot(sizes[-1], dims * p))
        self.biases = nn.ParameterList([nn.Parameter(torch.zeros(s)) for s in [*hidden, dims * p]])
        self.frozen = None  # the masked weights of every set while sampling
        self.context = nn.Linear(classes, hidden[0]) if classes > 0 else None
        if self.context is not None:
            init_glorot(self.context)
        self.orders, sets = [], []
        for v in range(masks):
            inputs, layer_masks = made_mask_set(
                dims, hidden, ordering, hidden_degrees, np.random.default_rng([seed, v])
            )
            order = np.empty(dims, dtype=np.int64)
            order[inputs - 1] = np.arange(dims)  # dimension d is drawn at step m0(d) - 1
            self.orders.append(order.tolist())
            # The output mask's column d repeated P times in place: unit d P + p is dimension d's.
            layer_masks[-1] = np.repeat(layer_masks[-1], p, axis=1)
            sets.append([torch.from_numpy(m) for m in layer_masks])
        for l in range(len(sizes)):
            self.register_buffer(f"mask{l}", torch.stack([s[l] for s in sets]))  # [V, fan_in, fan_out]

    def order(self, variant):
        return self.orders[variant]

    def masked(self, variant):
        return [w * getattr(self, f"mask{l}")[variant] for l, w in enumerate(self.weights)]

    def params(self, x, variant=0, cond=None):
        h = self.head.encode(x)
        n = len(self.weights)
        weights = self.frozen[variant] if self.frozen else self.masked(variant)
        for l in range(n):
            h = h @ weights[l] + self.biases[l]
            if l == 0 and self.context is not None and cond is not None:
                h = h + self.context(cond)
            if l < n - 1:
                h = self.activation(h)
        return h.view(x.shape[0], self.dims, -1)

    @torch.no_grad()
    def sample(self, n, cond=None):
        """As AutoregressiveModel.sample, with the masked weights W . M computed once, not per position."""
        self.frozen = [self.masked(v) for v in range(self.variants)]
        try:
            return super().sample(n, cond)
        finally:
            self.frozen = None


def pixel_mask(k, kind):
    """PixelCNN's k x k raster-order mask: the rows above the centre, the taps left of it, and (type B)
    the centre itself (van den Oord et al. 2016a, sec. 3.4; genzoo masks/pixel-masks.ts)."""
    mask = torch.zeros(k, k)
    c = k // 2
    mask[:c, :] = 1
    mask[c, :c] = 1
    if kind == "B":
        mask[c, c] = 1
    return mask


class MaskedConv2d(nn.Conv2d):
    """y = conv(x, W . M) + b, 'same' zero padding, stride 1; Glorot init of the whole kernel."""

    def __init__(self, cin, cout, k, kind):
        super().__init__(cin, cout, k, padding=k // 2)
        self.register_buffer("mask", pixel_mask(k, kind)[None, None], persistent=False)
        init_glorot(self)

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


def pointwise(cin, cout):
    """A 1 x 1 convolution (genzoo's Pointwise: a dense layer over the channels of every pixel)."""
    conv = nn.Conv2d(cin, cout, 1)
    init_glorot(conv)
    return conv


class ImageModel(AutoregressiveModel):
    """Raster-order model of 28 x 28 images by an image network `net` ([B, 1, H, W] -> [B, P, H, W]).

    Sampling runs the network on the receptive-field crop of the pixel being drawn, rows r - above .. r
    and columns c - left .. c + right, which gives exactly the full network's output at (r, c) (every
    activation that reaches it lies inside the crop), as genzoo's ImageAutoregressiveModel does.
    """

    def __init__(self, net, head, side, reach):
        super().__init__(head, side * side)
        self.net = net
        self.side = side
        self.reach = reach

    def params(self, x, variant=0, cond=None):
        img = self.head.encode(x).view(-1, 1, self.side, self.side)
        out = self.net(img, cond)  # [B, P, H, W]
        return out.permute(0, 2, 3, 1).reshape(x.shape[0], self.dims, -1)

    def position_params(self, x, d, variant=0, cond=None):
        r, c = divmod(d, self.side)
        r0, c0, c1 = max(0, r - self.reach), max(0, c - self.reach), min(self.side - 1, c + self.reach)
        img = self.head.encode(x).view(-1, 1, self.side, self.side)[:, :, r0 : r + 1, c0 : c1 + 1]
        return self.net(img, cond)[:, :, r - r0, c - c0]


class PixelCnnBlock(nn.Module):
    """h + conv1x1(ReLU(conv_B k x k(ReLU(conv1x1(ReLU(h)))))), C -> C/2 -> C/2 -> C (genzoo's names)."""

    def __init__(self, channels, kernel_size):
        super().__init__()
        half = max(1, channels // 2)
        self.reduce = pointwise(channels, half)
        self.masked = MaskedConv2d(half, half, kernel_size, "B")
        self.expand = pointwise(half, channels)

    def forward(self, h):
        return h + self.expand(F.relu(self.masked(F.relu(self.reduce(F.relu(h))))))


class PixelCnnNet(nn.Module):
    """PixelCNN (van den Oord, Kalchbrenner & Kavukcuoglu 2016, sec. 3.5, Fig. 5; genzoo networks/pixelcnn.ts):

      h_0 = conv_A k1 x k1 (x)                                              (C channels)
      h_{l+1} = h_l + conv1x1(ReLU(conv_B k x k(ReLU(conv1x1(ReLU(h_l))))))  (C -> C/2 -> C/2 -> C)
      params = conv1x1(ReLU(conv1x1(ReLU(h_L))))                             (C -> outputChannels -> P)
    """

    def __init__(self, cin, outputs, channels, residual_blocks, first_kernel, kernel_size, output_channels):
        super().__init__()
        self.input = MaskedConv2d(cin, channels, first_kernel, "A")
        self.blocks = nn.ModuleList(PixelCnnBlock(channels, kernel_size) for _ in range(residual_blocks))
        self.hidden = pointwise(channels, output_channels)
        self.output = pointwise(output_channels, outputs)
        self.reach = first_kernel // 2 + residual_blocks * (kernel_size // 2)

    def forward(self, x, cond=None):
        h = self.input(x)
        for block in self.blocks:
            h = block(h)
        return self.output(F.relu(self.hidden(F.relu(h))))


class ShiftedConv2d(nn.Conv2d):
    """A kh x kw convolution placed above / left of each output pixel: zero-pad `top` rows above and
    `left`/`right` columns, convolve without padding, keep the first H x W outputs. Output (r, c) reads rows
    r - top .. r - top + kh - 1 and columns c - left .. c - left + kw - 1 (genzoo layers/shifted-conv2d.ts)."""

    def __init__(self, cin, cout, kernel, top, left, right):
        super().__init__(cin, cout, kernel)
        self.pads = (left, right, top, 0)
        init_glorot(self)

    def forward(self, x):
        h, w = x.shape[2:]
        return super().forward(F.pad(x, self.pads))[:, :, :h, :w]


class GatedPixelCnnNet(nn.Module):
    """Gated PixelCNN (van den Oord et al. 2016b, sec. 2.1-2.3, Fig. 2; genzoo networks/gated-pixelcnn.ts).

    Layer l, with k = k1 for l = 0 and kernel_size after, r = k // 2:
      vertical:   (r x k) kernel for l = 0 (rows strictly above), (r + 1) x k after, top padding r
      horizontal: (1 x r) kernel for l = 0 (columns strictly left), 1 x (r + 1) after, left padding r
      v_pre = W_v * v,   h_pre = W_h * h + W_link v_pre                  (2C channels; link 1 x 1)
      v' = gate(v_pre + V_v y),   g = W_res gate(h_pre + V_h y),   h' = g (l = 0), h + g (l > 0)
      gate([a, b]) = tanh(a) . sigmoid(b) over the two halves of the 2C channels
    with the one-hot class y through a Linear(classes -> 2C) per stack and layer (conditional only), and
    with map_channels > 0 a spatial map s [B, C_s, H, W] through a 1 x 1 convolution per stack and layer
    (V * s added to the gate's input beside V y, sec. 2.3; VQ-VAE-2's bottom prior, PixelVAE's decoder). The
    last layer's v' would feed nothing (only v_pre reaches the output, through the link), so it has no
    vertical gate and no vertical class bias or map convolution.
    Output from the horizontal stack: conv1x1(ReLU(conv1x1(ReLU(h)))), as PixelCNN's.
    """

    def __init__(
        self, cin, outputs, channels, gated_layers, first_kernel, kernel_size, output_channels, classes,
        map_channels=0,
    ):
        super().__init__()
        c = channels
        self.layers = nn.ModuleList()
        for l in range(gated_layers + 1):
            k = first_kernel if l == 0 else kernel_size
            r = k // 2
            inputs = cin if l == 0 else c
            layer = nn.Module()
            layer.vertical = ShiftedConv2d(inputs, 2 * c, (r if l == 0 else r + 1, k), r, r, r)
            layer.horizontal = ShiftedConv2d(inputs, 2 * c, (1, r if l == 0 else r + 1), 0, r, 0)
            layer.link = pointwise(2 * c, 2 * c)
            layer.residual = pointwise(c, c)
            layer.vertical_class = nn.Linear(classes, 2 * c) if classes > 0 and l < gated_layers else None
            layer.horizontal_class = nn.Linear(classes, 2 * c) if classes > 0 else None
            layer.vertical_map = pointwise(map_channels, 2 * c) if map_channels > 0 and l < gated_layers else None
            layer.horizontal_map = pointwise(map_channels, 2 * c) if map_channels > 0 else None
            init_glorot(layer)  # re-draws the shifted and 1 x 1 kernels too: the same distribution
            self.layers.append(layer)
        self.hidden = pointwise(c, output_channels)
        self.output = pointwise(output_channels, outputs)
        self.reach = first_kernel // 2 + gated_layers * (kernel_size // 2)

    @staticmethod
    def gate(x, class_bias, cond, map_conv, smap):
        if class_bias is not None and cond is not None:
            x = x + class_bias(cond)[:, :, None, None]
        if map_conv is not None:
            if smap is None:
                raise ValueError("gated-pixelcnn: the network needs its conditioning map")
            x = x + map_conv(smap)
        a, b = x.chunk(2, 1)
        return torch.tanh(a) * torch.sigmoid(b)

    def forward(self, x, cond=None, smap=None):
        v = h = x
        last = len(self.layers) - 1
        for l, layer in enumerate(self.layers):
            v_pre = layer.vertical(v)
            h_pre = layer.horizontal(h) + layer.link(v_pre)
            if l < last:
                v = self.gate(v_pre, layer.vertical_class, cond, layer.vertical_map, smap)
            g = layer.residual(self.gate(h_pre, layer.horizontal_class, cond, layer.horizontal_map, smap))
            h = g if l == 0 else h + g
        return self.output(F.relu(self.hidden(F.relu(h))))


class UpsampleBlock(nn.Module):
    """h + conv3(ReLU(conv3(ReLU(h)))) (genzoo's names: first, second)."""

    def __init__(self, channels):
        super().__init__()
        self.first = nn.Conv2d(channels, channels, 3, padding=1)
        self.second = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, h):
        return h + self.second(F.relu(self.first(F.relu(h))))


class UpsampleNet(nn.Module):
    """f_{s,g} of the multiscale PixelCNN (genzoo multiscale-pixelcnn/model.ts, UpsampleNetwork): an unmasked
    3 x 3 convolution of [x_s * m_<g, m_<g] (2 channels), residual blocks h + conv3(ReLU(conv3(ReLU(h)))),
    then ReLU -> 1 x 1 -> ReLU -> 1 x 1 to one logit per pixel; 'same' zero padding, Glorot init."""

    def __init__(self, channels, blocks):
        super().__init__()
        self.input = nn.Conv2d(2, channels, 3, padding=1)
        self.blocks = nn.ModuleList(UpsampleBlock(channels) for _ in range(blocks))
        self.hidden = pointwise(channels, channels)
        self.output = pointwise(channels, 1)
        init_glorot(self)

    def forward(self, x):
        h = self.input(x)
        for block in self.blocks:
            h = block(h)
        return self.output(F.relu(self.hidden(F.relu(h))))


def group_mask(g, side):
    """1 at the positions of pixel group g (G1 (0,0), G2 (0,1), G3 (1,0), G4 (1,1) by row/column parity)."""
    pr, pc = (1 if g >= 3 else 0), (1 if g in (2, 4) else 0)
    m = torch.zeros(side, side)
    m[pr::2, pc::2] = 1
    return m


class MultiscalePixelCnn(AutoregressiveModel):
    """Multiscale PixelCNN (Reed et al. 2017, sec. 3; genzoo multiscale-pixelcnn/model.ts), binary images:

      log p(x) = log p_PixelCNN(x_b) + sum_{s = 2b .. H} sum_{g = 2..4} sum_{(u,v) in G_g} log Bern(x_s[u,v] | sigmoid(l_{s,g}[u,v])),
      l_{s,g} = f_{s,g}([(2 x_s - 1) * m_<g, m_<g]),

    x_s = x[::H/s, ::H/s] (subsampling), b = H / 2^L. Sampling: the base in raster order (b^2 passes of
    the base PixelCNN), then each group of each level at once (3 passes per level).
    """

    def __init__(self, a, side=28):
        super().__init__(BernoulliHead(), side * side)
        self.side = side
        self.levels = a.levels
        self.base_side = side // 2**a.levels
        assert self.base_side * 2**a.levels == side, f"levels {a.levels} do not divide the side {side}"
        base = PixelCnnNet(1, 1, a.channels, a.residual_blocks, a.first_kernel, a.kernel_size, a.output_channels)
        self.base = ImageModel(base, self.head, self.base_side, base.reach)
        self.upsamplers = nn.ModuleList(
            nn.ModuleList(UpsampleNet(a.upsample_channels, a.upsample_blocks) for _ in (2, 3, 4))
            for _ in range(a.levels)
        )
        for level in range(1, a.levels + 1):
            s = self.base_side * 2**level
            for g in (2, 3, 4):
                self.register_buffer(f"mask{s}_{g}", group_mask(g, s), persistent=False)
                known = sum(group_mask(k, s) for k in range(1, g))
                self.register_buffer(f"known{s}_{g}", known, persistent=False)

    def level_image(self, img, level):
        """x_s at level `level` (resolution b * 2^level) of img [B, H, W]."""
        k = 2 ** (self.levels - level)
        return img[:, ::k, ::k]

    def level_logits(self, xs, level, g):
        s = xs.shape[-1]
        known = getattr(self, f"known{s}_{g}")
        values = self.head.encode(xs) * known
        inp = torch.stack([values, known.expand_as(values)], 1)
        return self.upsamplers[level - 1][g - 2](inp)[:, 0]

    def log_prob_under(self, x, variant=0, cond=None):
        img = x.view(-1, self.side, self.side)
        xb = self.level_image(img, 0).reshape(x.shape[0], -1)
        total = self.base.log_prob_under(xb, 0)
        for level in range(1, self.levels + 1):
            xs = self.level_image(img, level)
            s = xs.shape[-1]
            for g in (2, 3, 4):
                per_pixel = -F.binary_cross_entropy_with_logits(self.level_logits(xs, level, g), xs, reduction="none")
                total = total + (per_pixel * getattr(self, f"mask{s}_{g}")).sum((1, 2))
        return total

    @torch.no_grad()
    def sample(self, n, cond=None):
        img = torch.zeros(n, self.side, self.side)
        k0 = self.side // self.base_side
        img[:, ::k0, ::k0] = self.base.sample(n).view(n, self.base_side, self.base_side)
        for level in range(1, self.levels + 1):
            k = 2 ** (self.levels - level)
            for g in (2, 3, 4):
                xs = self.level_image(img, level)
                drawn = torch.bernoulli(torch.sigmoid(self.level_logits(xs, level, g)))
                s = xs.shape[-1]
                mask = getattr(self, f"mask{s}_{g}")
                img[:, ::k, ::k] = xs * (1 - mask) + drawn * mask
        return img.reshape(n, -1)


def build_model(a, model, classes):
    head = make_head(a)
    if model == "nade":
        if a.head != "bernoulli":
            raise SystemExit("nade models binary vectors (Bernoulli head) only")
        return Nade(784, a.hidden_units[0])
    if model == "made":
        return Made(
            784, a.hidden_units, head, a.masks, a.ordering, a.hidden_degrees, a.activation, classes, a.seed
        )
    if model == "multiscale-pixelcnn":
        if a.head != "bernoulli":
            raise SystemExit("multiscale-pixelcnn models binary images (Bernoulli head) only")
        return MultiscalePixelCnn(a)
    p = head.params_per_position
    if model == "pixelcnn":
        net = PixelCnnNet(
            1, p, a.channels, a.residual_blocks, a.first_kernel, a.kernel_size, a.output_channels
        )
    elif model == "gated-pixelcnn":
        net = GatedPixelCnnNet(
            1, p, a.channels, a.gated_layers, a.first_kernel, a.kernel_size, a.output_channels, classes
        )
    else:
        raise SystemExit(f"unknown model {model!r} (nade, made, pixelcnn, gated-pixelcnn, multiscale-pixelcnn)")
    return ImageModel(net, head, 28, net.reach)


# --------------------------------------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--recipe", required=True, help="the genzoo recipe this run reproduces, <model>/<name>")
    p.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    p.add_argument("--data", choices=["binarized", "8bit"], default="binarized")
    p.add_argument("--test-file", default="", help="genzoo's own test images, one byte per pixel")
    p.add_argument("--test-format", choices=["binary", "u8"], default="binary")
    p.add_argument("--test-labels", default="", help="their labels, one byte each (default: the idx file)")
    p.add_argument("--metric", default="nll_nats", choices=["nll_nats", "bits_per_dim"])
    # Architecture (genzoo's config keys, from the recipe objects).
    p.add_argument("--hidden", default="500", help="NADE: H; MADE: hidden sizes, comma-separated")
    p.add_argument("--activation", default="relu", choices=sorted(ACTIVATIONS))
    p.add_argument("--masks", type=int, default=1)
    p.add_argument("--ordering", default="natural", choices=["natural", "random"])
    p.add_argument("--hidden-degrees", default="random", choices=["random", "even"])
    p.add_argument("--channels", type=int, default=64)
    p.add_argument("--residual-blocks", type=int, default=5)
    p.add_argument("--gated-layers", type=int, default=5)
    p.add_argument("--first-kernel", type=int, default=7)
    p.add_argument("--kernel-size", type=int, default=3)
    p.add_argument("--output-channels", type=int, default=64)
    p.add_argument("--head", default="bernoulli", choices=["bernoulli", "categorical", "logistic-mixture"])
    p.add_argument("--categories", type=int, default=256)
    p.add_argument("--values", choices=["unit"], default="unit", help="categorical: x = k/(K - 1)")
    p.add_argument("--components", type=int, default=5)
    # The logistic mixture's number of levels, or the multiscale PixelCNN's resolution doublings (the two
    # configs' `levels` keys; no model has both).
    p.add_argument("--levels", type=int, default=256)
    p.add_argument("--upsample-channels", type=int, default=32)
    p.add_argument("--upsample-blocks", type=int, default=2)
    p.add_argument("--conditional", type=int, default=0, choices=[0, 1])
    # Gated PixelCNN's spatial conditioning map (genzoo's mapChannels): not implemented here, so only 0.
    p.add_argument("--map-channels", type=int, default=0, choices=[0])
    # Training.
    p.add_argument("--epochs", type=float, default=1)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    # Smaller runs (smoke tests).
    p.add_argument("--train-limit", type=int, default=0, help="train on the first N images only")
    p.add_argument("--max-steps", type=int, default=0, help="stop training after N steps")
    p.add_argument(
        "--warmup-steps",
        type=int,
        default=0,
        help="steps trained before the clock starts (examples_per_second counts the steps after them)",
    )
    p.add_argument("--eval-limit", type=int, default=0, help="evaluate on the first N test images (0: all)")
    p.add_argument("--eval-batch", type=int, default=100)
    p.add_argument("--sample-count", type=int, default=64, help="images drawn to time sampling")
    p.add_argument("--dry-run", action="store_true", help="check the flags, build the model, print its size")
    a = p.parse_args()
    a.hidden_units = [int(h) for h in a.hidden.split(",")]
    model_name = a.recipe.split("/")[0]

    torch.manual_seed(a.seed)
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    if a.dry_run:
        n_params = sum(q.numel() for q in build_model(a, model_name, 10 if a.conditional else 0).parameters())
        print(json.dumps({"model": model_name, "recipe": a.recipe, "parameters": n_params}))
        return

    train = read_images(os.path.join(a.data_dir, "train-images-idx3-ubyte.gz"))
    train_labels = read_labels(os.path.join(a.data_dir, "train-labels-idx1-ubyte.gz"))
    test_raw = read_images(os.path.join(a.data_dir, "t10k-images-idx3-ubyte.gz"))
    test_labels = read_labels(os.path.join(a.data_dir, "t10k-labels-idx1-ubyte.gz"))
    if a.train_limit:
        train, train_labels = train[: a.train_limit], train_labels[: a.train_limit]
    if a.test_file:
        raw = np.fromfile(a.test_file, dtype=np.uint8)
        assert raw.size == test_raw.size, f"{a.test_file}: {raw.size} bytes, expected {test_raw.size}"
        raw = raw.reshape(test_raw.shape)
        if a.test_format == "binary":
            assert raw.max() <= 1, f"{a.test_file}: --test-format binary needs 0/1 bytes"
            test = torch.from_numpy(raw.astype(np.float32))
        else:
            test = torch.from_numpy(raw.astype(np.float32) / 255)
    elif a.data == "binarized":
        rng = np.random.default_rng(0)
        test = torch.from_numpy((rng.random(test_raw.shape) < test_raw / 255).astype(np.float32))
    else:
        test = torch.from_numpy(test_raw.astype(np.float32) / 255)
    if a.test_labels:
        test_labels = np.fromfile(a.test_labels, dtype=np.uint8)
        assert test_labels.size == len(test), f"{a.test_labels}: {test_labels.size} labels for {len(test)} images"
    if a.test_file and (a.data == "binarized") != (a.test_format == "binary"):
        raise SystemExit(f"--data {a.data} with a --test-format {a.test_format} test file")
    if a.eval_limit:
        test, test_labels = test[: a.eval_limit], test_labels[: a.eval_limit]
    classes = 10 if a.conditional else 0

    def one_hot(labels):
        return F.one_hot(torch.from_numpy(np.array(labels, dtype=np.int64)), 10).float()

    train_t = torch.from_numpy(train.astype(np.float32) / 255)
    train_y = one_hot(train_labels) if classes else None
    test_y = one_hot(test_labels) if classes else None

    model = build_model(a, model_name, classes)
    opt = torch.optim.Adam(model.parameters(), lr=a.lr)
    steps_per_epoch = len(train) // a.batch
    total = int(math.ceil(a.epochs * steps_per_epoch))
    if a.max_steps:
        total = min(total, a.max_steps)
    n_params = sum(q.numel() for q in model.parameters())
    print(f"{a.recipe}: {n_params} parameters, {total} steps of {a.batch}", file=sys.stderr)

    warmup = min(max(a.warmup_steps, 0), max(total - 1, 0))
    start = time.time()
    step = 0
    while step < total:
        perm = torch.randperm(len(train))
        for i in range(steps_per_epoch):
            if step >= total:
                break
            idx = perm[i * a.batch : (i + 1) * a.batch]
            x = train_t[idx]
            if a.data == "binarized":
                x = torch.bernoulli(x)  # dynamic binarization: a fresh draw every batch
            cond = train_y[idx] if classes else None
            loss = -model.log_prob_under(x, step % model.variants, cond).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 50 == 0 or step == total:
                print(f"  step {step}/{total} nll {loss.item():.2f}", file=sys.stderr)
            if step == warmup:
                start = time.time()
    seconds = time.time() - start
    timed = step - warmup

    model.eval()
    eval_start = time.time()
    with torch.no_grad():
        log_p = torch.cat(
            [
                model.log_prob(test[i : i + a.eval_batch], test_y[i : i + a.eval_batch] if classes else None)
                for i in range(0, len(test), a.eval_batch)
            ]
        )
    eval_seconds = time.time() - eval_start
    nll = -log_p.mean().item()
    bpd = nll / (test.shape[1] * math.log(2))

    sample_start = time.time()
    sample_cond = one_hot(np.arange(a.sample_count) % 10) if classes else None
    samples = model.sample(a.sample_count, sample_cond)
    sample_seconds = time.time() - sample_start
    assert samples.shape == (a.sample_count, 784) and torch.isfinite(samples).all()

    dataset = "fashion-mnist" + (f" (first {len(test)} test images)" if a.eval_limit else "")
    print(
        json.dumps(
            {
                "model": model_name,
                "recipe": a.recipe.split("/", 1)[1] if "/" in a.recipe else a.recipe,
                "dataset": dataset,
                "metric": a.metric,
                "value": nll if a.metric == "nll_nats" else bpd,
                "nll_nats": nll,
                "bits_per_dim": bpd,
                "examples_per_second": timed * a.batch / seconds if seconds > 0 else None,
                "warmup_steps": warmup,
                "sampling_images_per_second": a.sample_count / sample_seconds,
                "peak_memory_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "seconds": seconds,
                "eval_seconds": eval_seconds,
                "sampling_seconds": sample_seconds,
                "steps": step,
                "epochs": step / steps_per_epoch,
                "parameters": n_params,
                "backend": f"pytorch-cpu-{torch.get_num_threads()}-thread",
                "torch": torch.__version__,
                # Debian's python3-torch multiplies matrices with the system libblas.so.3 ("generic"
                # BLAS_INFO; netlib's reference BLAS unless OpenBLAS is installed); convolutions use oneDNN.
                "blas": blas_info(),
            }
        )
    )


if __name__ == "__main__":
    main()
