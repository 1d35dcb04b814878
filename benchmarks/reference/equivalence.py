"""Checks that a PyTorch reference of the vq-vae suite computes the same function as the genzoo model it
stands beside: pytorch_vqvae.py's VqVae as genzoo's `vq-vae`, pytorch_vqvae2.py's VqVae2 as `vq-vae-2`,
pytorch_pixelvae.py's PixelVae as `pixel-vae`.

Why: the suite compares genzoo's reconstruction error, code perplexity and bound with the reference's, and
that comparison measures the two training paths (kernels, float rounding, batch order, noise draws) only if
both implement the same model, loss and update. So, with genzoo's weights loaded into the reference and the
same batch, one training step of the reference (its script's training_loss, backward, Adam) must give
genzoo's encoder outputs, the same codes, decoder outputs, log-likelihoods, loss terms, gradients of every
trainable variable, codebook EMA state and Adam update, up to float32 rounding. The Adam step is taken from
genzoo's parameters and gradients: its first step is about lr sign(g) wherever |g| >> its epsilon, which
would turn the rounding of a gradient near 0 into a difference of lr.
benchmarks/test/reference-equivalence.test.ts writes a freshly initialized genzoo model (a trained one can
put a ReLU input or a code distance at a rounding tie, where the two legitimately differ) with a fixed batch
and asserts on this script's report.

Usage: equivalence.py <folder>, which holds manifest.json and tensors.bin:
  manifest.json {"model": "vq-vae" | "vq-vae-2" | "pixel-vae", "flags": {...}, "tensors": [{"name", "shape",
    "offset"}]}
    flags: the genzoo config flattened as the vq-vae suite passes it to the reference (kebab-case keys, lists
    comma-joined, booleans 1/0) and the recipe's Adam learning rate as the script's flag ("vq-lr"; "lr" for
    pixel-vae);
    tensors: float32 little-endian at byte `offset` of tensors.bin, in genzoo's layouts (see `layouts` below):
      param/<key>     every variable of the model before the step, <key> as model.variables() names it;
      x               the batch, [B, H, W, C];
    and genzoo's results, which this script computes with the reference and compares:
      ze/<level>, codes/<level>, commitment/<level>, perplexity/<level>, codes_used/<level>
                      each quantizer's encoder outputs [B, h, w, D], code indices [B, h, w], ||z_e - sg[e]||^2
                      per example [B], and the batch's code perplexity and codes used; <level> is the
                      quantizer's variable prefix (`quantizer`, or `quantizer/top` and `quantizer/bottom`);
      outputs         decoder outputs [B, H*W*C]; log_likelihood: log p(x | z_q) per example [B];
      loss, reconstruction, recon_mse   the training loss, -mean log p(x | z_q), mean (E[x | z_q] - x)^2;
      grad/<key>      d loss / d variable, every trainable variable;
      ema/<key>       every quantizer variable after the objective's EMA step (but `usage`, see GENZOO_ONLY);
      adam/<key>      every trainable variable after one Adam step on those gradients.
    For pixel-vae, instead of ze/ to ema/ (no codes; the training step's draw eps is genzoo's, see
    check_pixel_vae):
      eps             the standard normal draw of the training step's z = mu + sigma * eps, [B, d];
      posterior/mean, posterior/log_scale   mu and log sigma of q(z | x) [B, d];  z  [B, d];
      map             s = D(z) [B, H, W, C_h];  logits   the PixelCNN's Bernoulli logits given s [B, H, W, C];
      log_likelihood  log p(x | z) per example [B];  kl/per_example  KL(q(z | x) || p(z)) [B];
      loss, elbo, kl/mean, reconstruction   the training loss and the objective's metrics: mean ELBO, mean
                      KL, -mean log p(x | z).
Prints one JSON object: {"differences": {name: [max |reference - genzoo|, max |genzoo|]} for every float
quantity, "code_mismatches": {level: positions whose code differs}, "code_margin": {level: the smallest gap
between a position's nearest and second-nearest code distance (how far the codes are from a tie)} (both
empty for pixel-vae), "torch": version}.
"""
import json
import re
import sys
from types import SimpleNamespace

import numpy as np
import torch

import pytorch_pixelvae
import pytorch_vqvae
import pytorch_vqvae2
from pytorch_vqvae import code_statistics

# ------------------------------------------------------------------------------------------ names

# genzoo variable-key prefixes -> the reference's module paths, per model (longest prefix first wins).
MODULES = {
    "vq-vae": {"encoder": "encoder", "quantizer": "quantizer", "decoder": "decoder"},
    "vq-vae-2": {
        "encoder/bottom": "bottom_encoder",
        "encoder/top": "top_encoder",
        "encoder/top-decoder": "top_decoder",
        "encoder/bottom-in": "bottom_input",
        "quantizer/top": "quantizers.top",
        "quantizer/bottom": "quantizers.bottom",
        "decoder/upsample-top": "upsample_top",
        "decoder": "decoder",
    },
    "pixel-vae": {
        "encoder": "",
        "encoder/posterior": "posterior_layer",
        "decoder": "",
        "decoder/project": "project",
        "decoder/map": "to_map",
        "pixelcnn/gated": "pixelcnn",
        "pixelcnn/gated/output/hidden": "pixelcnn.hidden",
        "pixelcnn/gated/output/params": "pixelcnn.output",
    },
}
# Path segments under a prefix: numbered layers (conv0 -> convs.0) and named ones.
NUMBERED = {"conv": "convs", "deconv": "deconvs", "residual": "blocks", "layer": "layers"}
NAMED = {
    "conv3x3": "conv",
    "conv1x1": "project",
    "in": "input",
    "out": "out",
    "kernel": "weight",
    "bias": "bias",
    "codebook": "codebook",
    "clusterSize": "cluster_size",
    "clusterSum": "cluster_sum",
    # the Gated PixelCNN's layers (pytorch_autoregressive.py's GatedPixelCnnNet)
    "vertical": "vertical",
    "horizontal": "horizontal",
    "vertical-map": "vertical_map",
    "horizontal-map": "horizontal_map",
    "link": "link",
    "residual": "residual",
}
# genzoo's assignment counts for dead-code restarts, which the references do not implement.
GENZOO_ONLY = "usage"


def torch_name(model, key):
    """The reference's parameter or buffer name of genzoo variable `key`, or None for a genzoo-only one."""
    prefixes = sorted(MODULES[model], key=len, reverse=True)
    prefix = next(p for p in prefixes if key.startswith(p + "/"))
    path = [MODULES[model][prefix]] if MODULES[model][prefix] else []
    for segment in key[len(prefix) + 1 :].split("/"):
        if segment == GENZOO_ONLY:
            return None
        numbered = re.fullmatch(r"([a-z]+)(\d+)", segment)
        if numbered and numbered[1] in NUMBERED:
            path += [NUMBERED[numbered[1]], numbered[2]]
        else:
            path.append(NAMED[segment])
    return ".".join(path)


# ------------------------------------------------------------------------------------------ layouts

# genzoo (tfjs) is channels-last, PyTorch channels-first. The one place the two layouts meet:
#   images and feature maps   [B, H, W, C]      <-> [B, C, H, W]
#   Conv2D kernel             [k, k, in, out]   <-> Conv2d weight [out, in, k, k]
#   Conv2DTranspose kernel    [k, k, out, in]   <-> ConvTranspose2d weight [in, out, k, k] (the same
#                                                   permutation, no spatial flip: both are conv2d's gradient)
#   Pointwise kernel          [in, out]         <-> 1 x 1 Conv2d weight [out, in, 1, 1]
#   biases, codebooks, EMA statistics: the same layout.
# Dense layers next to a flattened feature map [h, w, c] (pixel-vae): genzoo flattens it channels-last
# (h w c), PyTorch channels-first (c h w), so those units are permuted:
#   Dense kernel reading the map   [h*w*c, n]  <-> Linear weight [n, c*h*w]      ("in" below)
#   Dense kernel writing the map   [n, h*w*c]  <-> Linear weight [c*h*w, n]      ("out")
#   its bias                       [h*w*c]     <-> [c*h*w]                       ("out")
FLATTENED = {
    "pixel-vae": {"encoder/posterior/kernel": "in", "decoder/project/kernel": "out", "decoder/project/bias": "out"},
}


def flattened(model, ref, key):
    """(side, (h, w, c)) for a variable whose units are a flattened feature map, else None."""
    side = FLATTENED.get(model, {}).get(key)
    if side is None:
        return None
    c, h, w = ref.bottom
    return side, (h, w, c)


def nchw(t):
    return t.permute(0, 3, 1, 2).contiguous()


def nhwc(t):
    return t.permute(0, 2, 3, 1)


def to_torch(key, value, torch_shape, flat=None):
    """A genzoo variable's value in the reference's layout (flat: see `flattened`)."""
    if flat is not None:
        side, (h, w, c) = flat
        if side == "in":
            return value.reshape(h, w, c, -1).permute(3, 2, 0, 1).reshape(torch_shape)
        if value.dim() == 2:
            return value.reshape(-1, h, w, c).permute(3, 1, 2, 0).reshape(torch_shape)
        return value.reshape(h, w, c).permute(2, 0, 1).reshape(torch_shape)
    if key.endswith("/kernel"):
        if value.dim() == 2:
            return value.t().reshape(torch_shape)
        return value.permute(3, 2, 0, 1).contiguous()
    return value.reshape(torch_shape)


def to_genzoo(key, value, genzoo_shape, flat=None):
    """A reference parameter's value (or gradient) in genzoo's layout (flat: see `flattened`)."""
    if flat is not None:
        side, (h, w, c) = flat
        if side == "in":
            return value.reshape(-1, c, h, w).permute(2, 3, 1, 0).reshape(genzoo_shape)
        if len(genzoo_shape) == 2:
            return value.reshape(c, h, w, -1).permute(3, 1, 2, 0).reshape(genzoo_shape)
        return value.reshape(c, h, w).permute(1, 2, 0).reshape(genzoo_shape)
    if key.endswith("/kernel"):
        if len(genzoo_shape) == 2:
            return value.reshape(genzoo_shape[::-1]).t()
        return value.permute(2, 3, 1, 0)
    return value.reshape(genzoo_shape)


# ------------------------------------------------------------------------------------------ models


def build(model, flags, shape):
    """The reference model for a genzoo config given as the suite's flags, and its training_loss."""
    a = SimpleNamespace(**{key.replace("-", "_"): value for key, value in flags.items()})
    for key in ("hidden", "top_hidden"):
        if hasattr(a, key):
            setattr(a, key, [int(s) for s in str(getattr(a, key)).split(",") if s])
    if model == "pixel-vae":
        return pytorch_pixelvae.PixelVae(a, shape), pytorch_pixelvae.training_loss, a
    if a.dead_code_restart_enabled:
        raise SystemExit("the references do not implement dead-code restarts")
    channels = shape[2]
    if model == "vq-vae":
        return pytorch_vqvae.VqVae(a, channels), pytorch_vqvae.training_loss, a
    return pytorch_vqvae2.VqVae2(a, channels), pytorch_vqvae2.training_loss, a


def quantizer_levels(model, q):
    """The quantizer outputs of a training_loss by genzoo level (the quantizer's variable prefix)."""
    if model == "vq-vae":
        return {"quantizer": q}
    return {f"quantizer/{level}": q[level] for level in pytorch_vqvae2.LEVELS}


def code_margin(codebook, flat):
    """The smallest gap between the nearest and second-nearest code distance over the rows of flat [N, D]."""
    distances = (codebook * codebook).sum(1)[None, :] - 2 * flat @ codebook.t()
    two = distances.topk(2, dim=1, largest=False).values
    return (two[:, 1] - two[:, 0]).min().item()


# ------------------------------------------------------------------------------------------ check


def check_vq(model, vq, training_loss, a, genzoo, state, names, compare):
    """The VQ-VAEs' training loss (EMA step inside): compares codes, encoder outputs, quantizer statistics,
    decoder outputs, loss terms and EMA state; returns (loss, code mismatches, code margins)."""
    x = genzoo["x"]
    y = nchw(x)
    codebooks = {key: state[target].clone() for key, target in names.items() if key.endswith("/codebook")}
    loss, q, out = training_loss(vq, y, a)
    mismatches, margins = {}, {}
    for level, (idx, _, _, _, commitment, counts, flat, _) in quantizer_levels(model, q).items():
        mismatches[level] = int((idx != genzoo[f"codes/{level}"].long()).sum().item())
        margins[level] = code_margin(codebooks[f"{level}/codebook"], flat)
        compare(f"ze/{level}", flat)  # z_e as rows [B h w, D] in genzoo's (channels-last) order
        compare(f"commitment/{level}", commitment)
        perplexity, used = code_statistics(counts)
        compare(f"perplexity/{level}", torch.tensor(perplexity))
        compare(f"codes_used/{level}", torch.tensor(float(used)))
    batch = x.shape[0]
    log_likelihood = vq.observation.log_likelihood(out, y)
    compare("outputs", nhwc(out).reshape(batch, -1))
    compare("log_likelihood", log_likelihood)
    compare("loss", loss)
    compare("reconstruction", -log_likelihood.mean())
    compare("recon_mse", ((vq.observation.mean(out) - y) ** 2).mean())
    for key, target in names.items():
        if key.startswith("quantizer/"):
            compare(f"ema/{key}", state[target])
    return loss, mismatches, margins


def check_pixel_vae(model, vae, training_loss, a, genzoo, state, names, compare):
    """PixelVAE's training loss at step 0 with genzoo's draw eps (genzoo's seeded ε, so z = mu + sigma eps
    is the same z): compares mu, log sigma, z, the map s = D(z), the PixelCNN's logits given s, log p(x | z)
    and the KL per example, the loss and the objective's metrics; returns (loss, {}, {})."""
    y = nchw(genzoo["x"])
    eps = genzoo["eps"]
    loss, terms = training_loss(vae, y, a, 0, noise=lambda mu: eps)
    compare("posterior/mean", terms["mu"])
    compare("posterior/log_scale", terms["log_sigma"])
    compare("z", terms["z"])
    smap = vae.decode_map(terms["z"])
    compare("map", nhwc(smap))
    compare("logits", nhwc(vae.pixelcnn(2 * y - 1, None, smap)))
    compare("log_likelihood", terms["log_likelihood"])
    compare("kl/per_example", pytorch_pixelvae.kl_per_dim(terms["mu"], terms["log_sigma"]).sum(1))
    compare("loss", loss)
    compare("elbo", terms["elbo"])
    compare("kl/mean", terms["kl"])
    compare("reconstruction", -terms["log_likelihood"].mean())
    return loss, {}, {}


def main():
    folder = sys.argv[1]
    with open(f"{folder}/manifest.json") as f:
        manifest = json.load(f)
    with open(f"{folder}/tensors.bin", "rb") as f:
        data = f.read()
    genzoo = {
        t["name"]: torch.from_numpy(
            np.frombuffer(data, np.float32, int(np.prod(t["shape"])), t["offset"]).reshape(t["shape"]).copy()
        )
        for t in manifest["tensors"]
    }
    torch.set_num_threads(1)
    model = manifest["model"]
    ref, training_loss, a = build(model, manifest["flags"], list(genzoo["x"].shape[1:]))

    # genzoo's weights into the reference: every parameter and buffer exactly once.
    state = {**dict(ref.named_parameters()), **dict(ref.named_buffers())}
    names = {}
    with torch.no_grad():
        for name, value in genzoo.items():
            if not name.startswith("param/"):
                continue
            key = name[len("param/") :]
            target = torch_name(model, key)
            if target is None:
                continue
            if target not in state or target in names.values():
                raise SystemExit(f"genzoo variable {key} maps to {target}, which is unknown or taken")
            state[target].copy_(to_torch(key, value, state[target].shape, flattened(model, ref, key)))
            names[key] = target
    missing = set(state) - set(names.values())
    if missing:
        raise SystemExit(f"reference parameters that no genzoo variable sets: {sorted(missing)}")

    differences = {}

    def compare(name, reference):
        expected = genzoo[name].double()
        diff = (reference.detach().double().reshape(expected.shape) - expected).abs().max().item()
        differences[name] = [diff, expected.abs().max().item()]

    # One training step of the reference script: loss (and its checks), backward, Adam.
    step = check_pixel_vae if model == "pixel-vae" else check_vq
    loss, mismatches, margins = step(model, ref, training_loss, a, genzoo, state, names, compare)
    opt = torch.optim.Adam(ref.parameters(), lr=a.lr if model == "pixel-vae" else a.vq_lr)
    opt.zero_grad()
    loss.backward()
    trainable = {key: target for key, target in names.items() if state[target].requires_grad}
    for key, target in trainable.items():
        flat = flattened(model, ref, key)
        compare(f"grad/{key}", to_genzoo(key, state[target].grad, list(genzoo[f"grad/{key}"].shape), flat))
    # The Adam step from genzoo's parameters and gradients (see the module doc).
    with torch.no_grad():
        for key, target in trainable.items():
            flat = flattened(model, ref, key)
            state[target].copy_(to_torch(key, genzoo[f"param/{key}"], state[target].shape, flat))
            state[target].grad = to_torch(key, genzoo[f"grad/{key}"], state[target].shape, flat)
    opt.step()
    for key, target in trainable.items():
        flat = flattened(model, ref, key)
        compare(f"adam/{key}", to_genzoo(key, state[target], list(genzoo[f"adam/{key}"].shape), flat))
    compared = {name[len("grad/") :] for name in differences if name.startswith("grad/")}
    given = {name[len("grad/") :] for name in genzoo if name.startswith("grad/")}
    if compared != given:
        raise SystemExit(f"trainable in one model only: {sorted(compared ^ given)}")

    print(
        json.dumps(
            {
                "differences": differences,
                "code_mismatches": mismatches,
                "code_margin": margins,
                "torch": torch.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
