"""Checks that a PyTorch reference computes the same function as the genzoo model it stands beside:
pytorch_vqvae.py's VqVae as genzoo's `vq-vae`, pytorch_vqvae2.py's VqVae2 as `vq-vae-2`,
pytorch_pixelvae.py's PixelVae as `pixel-vae` (the vq-vae suite), pytorch_autoregressive.py's
MultiscalePixelCnn as `multiscale-pixelcnn` (the autoregressive suite), and pytorch_nvae.py's NVAE as `nvae`
(the vae suite).

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
  manifest.json {"model": "vq-vae" | "vq-vae-2" | "pixel-vae" | "multiscale-pixelcnn" | "nvae",
    "flags": {...}, "tensors": [{"name", "shape", "offset"}]}
    flags: the genzoo config flattened as the vq-vae suite passes it to the reference (kebab-case keys, lists
    comma-joined, booleans 1/0), the recipe's Adam learning rate as the script's flag ("vq-lr"; "lr" for
    the others) and "step", the training step's 0-based index (nvae's KL warm-up);
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
    For multiscale-pixelcnn, instead of ze/ to ema/ (x binary, [B, 28, 28, 1]; the flags' "lr" is Adam's):
      log_prob        log p(x) per example [B];  loss   -mean log p(x);
      logits/level<l>/group<g>   f_{s,g}'s logits at level l (resolution b * 2^l), every position [B, s, s].
    For nvae, instead of ze/ to ema/ (x binary, [B, 28, 28, 1]; the mnist-10k layout, see build; the training
    step's draws eps are genzoo's, see check_nvae; groups z1 ... zL top-down, maps [B, h, w, C]):
      eps/z<l>        the standard normal draw of z_l = mu_q + sigma_q * eps;
      prior/mean/z<l>, prior/log_scale/z<l>   mu_p and log sigma_p of p(z_l | z<l) (l >= 2);
      posterior/mean/z<l>, posterior/log_scale/z<l>   mu_q = mu_p + dmu and log sigma_q of q(z_l | x, z<l);
      z/z<l>          the draw;  kl/z<l>  KL(q || p) of group l per example [B];
      kl/mean/z<l>    its batch mean (the objective's kl_<l>);  log_likelihood  log p(x | z) [B];
      gamma           the KL balancing weights [L] (1 once beta = 1);
      loss, elbo, recon, kl/total, beta   the training loss and the objective's metrics;
      bn/runningMean, bn/runningVariance   every BatchNorm's running statistics after the step, in sorted
                      variable-key order, concatenated (BatchNorm normalizes with the batch's statistics).
    A gradient that is 0 in exact arithmetic (NULL_GRADIENTS: nvae's biases that feed only a BatchNorm)
    is reported against its cell's largest gradient instead of its own size.
Prints one JSON object: {"differences": {name: [max |reference - genzoo|, max |genzoo|]} for every float
quantity, "code_mismatches": {level: positions whose code differs}, "code_margin": {level: the smallest gap
between a position's nearest and second-nearest code distance (how far the codes are from a tie)} (both
empty but for the VQ-VAEs), "torch": version}.
"""
import json
import math
import re
import sys
from types import SimpleNamespace

import torch

import pytorch_autoregressive
import pytorch_nvae
import pytorch_pixelvae
import pytorch_vqvae
import pytorch_vqvae2
from genzoo_weights import flattened, load_genzoo_variables, nchw, nhwc, read_tensors, to_genzoo, to_torch
from pytorch_vqvae import code_statistics

# ------------------------------------------------------------------------------------------ models


def build(model, flags, shape):
    """The reference model for a genzoo config given as the suite's flags, and its training_loss."""
    a = SimpleNamespace(**{key.replace("-", "_"): value for key, value in flags.items()})
    for key in ("hidden", "top_hidden"):
        if hasattr(a, key):
            setattr(a, key, [int(s) for s in str(getattr(a, key)).split(",") if s])
    if model == "pixel-vae":
        return pytorch_pixelvae.PixelVae(a, shape), pytorch_pixelvae.training_loss, a
    if model == "nvae":
        layout = (a.scales, a.cells_per_group, a.preprocess_cells, a.postprocess_cells, a.likelihood_kind)
        if shape != [28, 28, 1] or layout != (2, 1, 0, 0, "bernoulli") or a.spectral_regularization:
            raise SystemExit("pytorch_nvae.py implements 28 x 28 binary images, 2 scales, one cell per group, "
                             "no pre- or postprocessing cells, no spectral regularization")
        ref = pytorch_nvae.NVAE(a.channels, a.groups_per_scale, a.latent_channels, a.expansion, a.se_reduction)
        return ref.train(), pytorch_nvae.training_loss, a
    if model == "multiscale-pixelcnn":
        if shape != [28, 28, 1] or a.levels != 2:
            raise SystemExit("genzoo_weights maps multiscale-pixelcnn for 28 x 28 images and levels 2 only")
        return pytorch_autoregressive.MultiscalePixelCnn(a), None, a
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


def check_multiscale(model, ms, training_loss, a, genzoo, state, names, compare):
    """The multiscale PixelCNN's training loss, -mean log p(x) (pytorch_autoregressive.py's training step):
    compares log p(x) per example, every level's group logits (at all positions, though only the group's own
    enter log p), and the loss; returns (loss, {}, {})."""
    x = genzoo["x"]
    flat = x.reshape(x.shape[0], -1)
    log_p = ms.log_prob_under(flat)
    compare("log_prob", log_p)
    img = x[..., 0]
    for level in range(1, ms.levels + 1):
        for g in (2, 3, 4):
            compare(f"logits/level{level}/group{g}", ms.level_logits(ms.level_image(img, level), level, g))
    loss = -log_p.mean()
    compare("loss", loss)
    return loss, {}, {}


def check_nvae(model, nvae, training_loss, a, genzoo, state, names, compare):
    """NVAE's training loss at step a.step (BatchNorm in training mode: the batch's statistics, updating the
    running ones) with genzoo's draws eps/z<l>: compares every group's prior (but z1's fixed N(0, I)) and
    posterior mu and log sigma, z, the KL per example and its batch mean, log p(x | z), the KL balancing
    weights gamma and beta, the loss and the objective's metrics, and every BatchNorm running statistic
    after the step; returns (loss, {}, {})."""
    y = nchw(genzoo["x"])
    groups = len(nvae.shapes)
    noise = [nchw(genzoo[f"eps/z{l + 1}"]) for l in range(groups)]
    sizes = torch.tensor([float(math.prod(shape)) for shape in nvae.shapes])
    trace = []
    loss, terms = training_loss(nvae, y, sizes, a.step, a.kl_warmup_steps, noise=noise, trace=trace)
    for l, group in enumerate(trace):
        z = f"z{l + 1}"
        if l > 0:
            compare(f"prior/mean/{z}", nhwc(group["mu_p"]))
            compare(f"prior/log_scale/{z}", nhwc(group["log_p"]))
        compare(f"posterior/mean/{z}", nhwc(group["mu_q"]))
        compare(f"posterior/log_scale/{z}", nhwc(group["log_q"]))
        compare(f"z/{z}", nhwc(group["z"]))
        compare(f"kl/{z}", terms["kl"][:, l])
        compare(f"kl/mean/{z}", terms["kl"][:, l].mean())
    compare("log_likelihood", terms["log_px"])
    compare("gamma", terms["gamma"])
    compare("beta", torch.tensor(terms["beta"]))
    compare("loss", loss)
    compare("elbo", terms["elbo"])
    compare("recon", terms["log_px"].mean())
    compare("kl/total", terms["kl"].mean(0).sum())
    for statistic in ("runningMean", "runningVariance"):
        layers = [state[names[key]] for key in sorted(names) if key.endswith(f"/{statistic}")]
        compare(f"bn/{statistic}", torch.cat(layers))
    return loss, {}, {}


def main():
    manifest, genzoo = read_tensors(sys.argv[1])
    torch.set_num_threads(1)
    model = manifest["model"]
    ref, training_loss, a = build(model, manifest["flags"], list(genzoo["x"].shape[1:]))
    # genzoo's weights into the reference: every parameter and buffer exactly once.
    names = load_genzoo_variables(model, ref, genzoo)
    state = {**dict(ref.named_parameters()), **dict(ref.named_buffers())}

    differences = {}

    def compare(name, reference, scale=None):
        expected = genzoo[name].double()
        diff = (reference.detach().double().reshape(expected.shape) - expected).abs().max().item()
        differences[name] = [diff, expected.abs().max().item() if scale is None else scale]

    # One training step of the reference script: loss (and its checks), backward, Adam.
    step = CHECKS.get(model, check_vq)
    loss, mismatches, margins = step(model, ref, training_loss, a, genzoo, state, names, compare)
    opt = torch.optim.Adam(ref.parameters(), lr=a.vq_lr if step is check_vq else a.lr)
    opt.zero_grad()
    loss.backward()
    trainable = {key: target for key, target in names.items() if state[target].requires_grad}
    for key, target in trainable.items():
        flat = flattened(model, ref, key)
        scale = None
        if model in NULL_GRADIENTS and NULL_GRADIENTS[model].search(key):
            # 0 in exact arithmetic, rounding only: measured against the largest gradient of its cell.
            cell = key.rsplit("/", 2)[0]
            scale = max(genzoo[name].abs().max().item() for name in genzoo if name.startswith(f"grad/{cell}/"))
        grad = to_genzoo(key, state[target].grad, list(genzoo[f"grad/{key}"].shape), flat)
        compare(f"grad/{key}", grad, scale)
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


# Variables whose gradient is 0 in exact arithmetic, by model: nvae's biases (and generative cells' bn0
# shift) that only feed a BatchNorm in training mode, which subtracts the batch mean and with it any
# per-channel constant (the encoder cell's conv1 -> bn2, the generative cell's bn0 -> expand -> bn1,
# expand -> bn1, project -> bn3). Both sides give them float32 rounding, about 1e-6 of the cell's gradients.
NULL_GRADIENTS = {"nvae": re.compile(r"/(conv1/bias|bn0/beta|expand/bias|project/bias)$")}

CHECKS = {"pixel-vae": check_pixel_vae, "multiscale-pixelcnn": check_multiscale, "nvae": check_nvae}

if __name__ == "__main__":
    main()
