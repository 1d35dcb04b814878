"""genzoo's variables in the PyTorch references: which reference parameter or buffer each genzoo variable
key names, and the layout change between them; and the tensor folder genzoo writes (manifest.json and
tensors.bin) with a loader that puts a genzoo model's variables into a reference model.

Used by equivalence.py (one training step from the same weights) and pytorch_vqvae.py --start-from (a
training run from genzoo's initial weights). The folder format:
  manifest.json {"tensors": [{"name", "shape", "offset"}], ...}: float32 little-endian at byte `offset` of
  tensors.bin, in genzoo's layouts; a model's variables are named param/<key>, <key> as model.variables()
  names it.
"""
import json
import re

import numpy as np
import torch

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


def multiscale_modules(side=28, levels=2):
    """multiscale-pixelcnn's prefixes (pytorch_autoregressive.py's MultiscalePixelCnn) for side x side
    images and `levels` doublings: the base PixelCNN, and upsampler [level - 1][g - 2] of resolution
    b * 2^level, keyed level<resolution>/group<g> by genzoo; the output layers' hidden/params."""
    modules = {"base": "base.net", "base/output/hidden": "base.net.hidden", "base/output/params": "base.net.output"}
    for level in range(1, levels + 1):
        resolution = side // 2 ** (levels - level)
        for g in (2, 3, 4):
            key, path = f"level{resolution}/group{g}", f"upsamplers.{level - 1}.{g - 2}"
            modules |= {key: path, f"{key}/output/hidden": f"{path}.hidden", f"{key}/output/params": f"{path}.output"}
    return modules


# The suite's and the equivalence test's multiscale configs: 28 x 28 images, two doublings.
MODULES["multiscale-pixelcnn"] = multiscale_modules()

# The layers of nvae's residual cells (packages/vae/src/nvae/cells.ts; pytorch_nvae.py's attribute names).
ENCODER_CELL = ["bn1", "conv1", "bn2", "conv2", "se/squeeze", "se/excite", "skip"]
GENERATIVE_CELL = ["bn0", "expand", "bn1", "bn2", "project", "bn3", "se/squeeze", "se/excite", "skip"]


def nvae_modules(groups=2):
    """nvae's prefixes (pytorch_nvae.py's NVAE: two scales, one cell per group, no pre- or postprocessing
    cells), down to each cell's layers; the top-down group l (0-based) is genzoo's z<l+1>."""
    modules = {"encoder/stem": "stem", "encoder/top": "enc_top", "decoder/output": "output", "decoder": ""}
    cells = {f"encoder/s{s}g{g}c0": (f"enc.{s * groups + g}", ENCODER_CELL) for s in (0, 1) for g in range(groups)}
    cells["encoder/down0"] = ("down", ENCODER_CELL)
    for l in range(2 * groups):
        modules |= {
            f"encoder/z{l + 1}/posterior": f"post_heads.{l}",
            f"encoder/z{l + 1}/combine": f"enc_comb.{l}",
            f"decoder/z{l + 1}/prior": f"prior_heads.{l}",
            f"decoder/z{l + 1}/combine": f"dec_comb.{l}",
        }
        up = l == groups  # the first group of the finer scale starts with the upsampling cell
        if up:
            cells["decoder/up0"] = (f"dec_cells.{l}.0", GENERATIVE_CELL)
        if l > 0:
            cells[f"decoder/z{l + 1}c0"] = (f"dec_cells.{l}.{1 if up else 0}", GENERATIVE_CELL)
    for key, (path, layers) in cells.items():
        modules |= {key: path} | {f"{key}/{layer}": f"{path}.{layer.replace('/', '.')}" for layer in layers}
    return modules


# The vae suite's and the equivalence test's nvae config (mnist-10k): two groups per scale.
MODULES["nvae"] = nvae_modules()
# Path segments under a prefix: numbered layers (conv0 -> convs.0) and named ones.
NUMBERED = {"conv": "convs", "deconv": "deconvs", "residual": "blocks", "layer": "layers", "block": "blocks"}
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
    # the PixelCNN's and the multiscale upsamplers' layers (pytorch_autoregressive.py)
    "input": "input",
    "reduce": "reduce",
    "masked": "masked",
    "expand": "expand",
    "first": "first",
    "second": "second",
    # nvae (pytorch_nvae.py): BatchNorm's variables and buffers, the generative cell's depthwise kernel
    # (a bias-free grouped Conv2d) and the top-down tower's learned input h
    "gamma": "weight",
    "beta": "bias",
    "runningMean": "running_mean",
    "runningVariance": "running_var",
    "depthwise": "depthwise.weight",
    "h": "h",
}
# genzoo's assignment counts for dead-code restarts, which the references do not implement.
GENZOO_ONLY = "usage"
# PyTorch's BatchNorm counts its training batches (used only with momentum=None); genzoo has no counter.
TORCH_ONLY = "num_batches_tracked"


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
#   Depthwise kernel          [k, k, C, 1]      <-> grouped Conv2d weight [C, 1, k, k]
#   biases, codebooks, EMA statistics, BatchNorm's: the same layout.
# A learned feature map [1, h, w, c] (nvae's decoder/h) <-> [1, c, h, w]                  ("map" below)
# Dense layers next to a flattened feature map [h, w, c] (pixel-vae): genzoo flattens it channels-last
# (h w c), PyTorch channels-first (c h w), so those units are permuted:
#   Dense kernel reading the map   [h*w*c, n]  <-> Linear weight [n, c*h*w]      ("in" below)
#   Dense kernel writing the map   [n, h*w*c]  <-> Linear weight [c*h*w, n]      ("out")
#   its bias                       [h*w*c]     <-> [c*h*w]                       ("out")
FLATTENED = {
    "pixel-vae": {"encoder/posterior/kernel": "in", "decoder/project/kernel": "out", "decoder/project/bias": "out"},
    "nvae": {"decoder/h": "map"},
}


def flattened(model, ref, key):
    """(side, (h, w, c)) for a variable whose units are a flattened feature map, ("map", None) for a feature
    map, else None."""
    side = FLATTENED.get(model, {}).get(key)
    if side is None or side == "map":
        return side and (side, None)
    c, h, w = ref.bottom
    return side, (h, w, c)


def nchw(t):
    return t.permute(0, 3, 1, 2).contiguous()


def nhwc(t):
    return t.permute(0, 2, 3, 1)


def to_torch(key, value, torch_shape, flat=None):
    """A genzoo variable's value in the reference's layout (flat: see `flattened`)."""
    if flat is not None and flat[0] == "map":
        return value.permute(0, 3, 1, 2).contiguous()
    if key.endswith("/depthwise"):
        return value.permute(2, 3, 0, 1).contiguous()
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
    if flat is not None and flat[0] == "map":
        return value.permute(0, 2, 3, 1)
    if key.endswith("/depthwise"):
        return value.permute(2, 3, 0, 1)
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


# ------------------------------------------------------------------------------------------ folders


def read_tensors(folder):
    """(manifest, {name: tensor}) of a folder genzoo wrote."""
    with open(f"{folder}/manifest.json") as f:
        manifest = json.load(f)
    with open(f"{folder}/tensors.bin", "rb") as f:
        data = f.read()
    tensors = {
        t["name"]: torch.from_numpy(
            np.frombuffer(data, np.float32, int(np.prod(t["shape"])), t["offset"]).reshape(t["shape"]).copy()
        )
        for t in manifest["tensors"]
    }
    return manifest, tensors


def load_genzoo_variables(model, ref, tensors):
    """Copies genzoo's variables (tensors param/<key>) into the reference model `ref` of genzoo model
    `model`, every parameter and buffer exactly once; returns {genzoo key: reference name}. Fails naming a
    variable that maps nowhere, or a reference parameter no variable sets. Non-persistent buffers (constants
    such as the PixelCNNs' masks) and BatchNorm's batch counters are the reference's own."""
    state = ref.state_dict(keep_vars=True)
    names = {}
    with torch.no_grad():
        for name, value in tensors.items():
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
    missing = {name for name in state if not name.endswith(TORCH_ONLY)} - set(names.values())
    if missing:
        raise SystemExit(f"reference parameters that no genzoo variable sets: {sorted(missing)}")
    return names
