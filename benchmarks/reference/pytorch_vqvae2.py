"""PyTorch reference for genzoo's two-stage VQ-VAE-2 recipes (@genzoo/vq-vae): a two-level VQ-VAE-2 (stage 1,
genzoo `vq-vae-2`) and a Gated PixelCNN prior per level over its codes (stage 2, genzoo `vq-vae-2-prior`),
with the same networks, initialization, optimizer, batch sizes, steps and data protocol as the genzoo
recipes named by --vq-recipe and --recipe, so that genzoo's reconstruction error, per-level code
perplexity and two-stage bound can be compared with a carefully written PyTorch implementation. The flags
come from the genzoo recipe objects (benchmarks/suites/vq-vae.mjs builds them); nothing here is specific to
one recipe. The building blocks (encoder, decoder, quantizer, data, prior log-likelihood and sampling) are
pytorch_vqvae.py's, the plain VQ-VAE reference; its doc describes the data protocol, the quantizer's EMA
update and the evaluation, which are the same here.

Stage 1, VQ-VAE-2 (Razavi, van den Oord & Vinyals 2019, Fig. 2a; genzoo vq-vae-2/model.ts), for a 28 x 28
image (D the code dimension, C = hidden[-1]):
  h_b = Enc_b(x)                        Encoder(image -> C): stride-2 4x4 convs (`hidden`), residual blocks,
                                        ReLU, conv1x1 -> C;                                       [C, 14, 14]
  z_e^t = Enc_t(h_b)                    Encoder(C -> D) with the `top_hidden` stride-2 convs;     [D, 7, 7]
  e_t = quantize_t(z_e^t)               the top codebook (K_t), straight-through;
  z_e^b = conv1x1([Dec_t(e_t), h_b])    Dec_t = Decoder(D -> D): conv1x1, residual blocks, ReLU, the
                                        `top_hidden` stride-2 transposed convs;                   [D, 14, 14]
  e_b = quantize_b(z_e^b)               the bottom codebook (K_b);
  x^ = Dec([e_b, up(e_t)])              up: one 4x4 transposed conv D -> D of stride 2^len(top_hidden);
                                        Dec = Decoder(2D -> image) with the `hidden` transposed convs.
  Loss per example, averaged over the batch:
    L = -log p(x | e_t, e_b) + sum_{l in t, b} ([||sg[z_e^l] - e_l||^2] + beta ||z_e^l - sg[e_l]||^2)
        + lambda (-log p(x | e_t, e_b-bar))         (lambda = --top-only-weight; 0 is the paper's objective),
  the codebook terms only without EMA; each codebook's EMA step is taken from its batch after the losses
  (and before the top-only term, which reads the updated average bottom code, as genzoo's objective does).
  e_b-bar: the average bottom code at every position, weighted by the EMA cluster sizes N_k (the plain
  codebook mean without EMA), no gradient.
  Evaluation (per --eval-batch test batch, averaged weighted by batch size): recon_mse of E[x | e_t, e_b],
  recon_mse_top_only of E[x | e_t, e_b-bar], each level's perplexity and codes used; the bound with uniform
  priors log p(x) >= log p(x | e_t, e_b) - (h_t w_t log K_t + h_b w_b log K_b).
Stage 2, the priors (genzoo vq-vae-2-prior/model.ts, Razavi et al. sec. 3.2):
  p(z_t, z_b) = p_top(z_t) p_bottom(z_b | z_t), both Gated PixelCNNs (pytorch_autoregressive.py's
  GatedPixelCnnNet) on one-hot codes with a K-way softmax; the bottom one conditioned on the map s = the
  top code vectors e_t, nearest-neighbour upsampled to the bottom grid, [D, 14, 14], entering every gate
  through a 1x1 convolution (map_channels = D). Both are trained at once on the frozen encoder's codes of
  freshly dequantized training batches, loss -mean log p_top(z_t) - mean log p_bottom(z_b | z_t), one Adam;
  class-conditional (a one-hot label in every gate) with --conditional 1.
  Bound: log p(x) >= log p(x | z_t, z_b) + log p_top(z_t) + log p_bottom(z_b | z_t).
nll_nats = -mean bound + D log L (the dequantization offset), bits/dim = nll / (D ln 2), as pytorch_vqvae.py.
Training: Adam(lr, 0.9/0.999, 1e-8); initialization Glorot-uniform kernels (Keras fans), zero biases.
Samples: --samples pairs of grids, top codes position by position from p_top, then bottom codes from
p_bottom given them, decoded to E[x | e_t, e_b], written as float32 [n, H, W, C] to --samples-out (labels
i mod C of a conditional prior to --samples-out.labels).

A twin of one genzoo run: --start-from, --batches-file, --trace-out, --trace-every and --prior-steps 0 as
in pytorch_vqvae.py (the trace's perplexity and codes used per level: perplexity_top, codes_used_bottom, ...).

Prints progress on stderr and one JSON object ({"vqvae": row, "prior": row}) on its last stdout line.
"""
import functools
import json
import math
import resource

import torch
from torch import nn
import torch.nn.functional as F

from pytorch_autoregressive import GatedPixelCnnNet
from pytorch_vqvae import (
    Decoder,
    Encoder,
    Observation,
    Quantizer,
    Twin,
    backend,
    check_stages,
    code_statistics,
    conv,
    deconv,
    dequantized,
    images,
    load_data,
    log,
    prior_log_prob,
    sample_codes,
    set_up_torch,
    train_with_adam,
    training_metrics,
    two_stage_flags,
    write_samples,
)

LEVELS = ("top", "bottom")


class VqVae2(nn.Module):
    def __init__(self, a, channels):
        super().__init__()
        d, blocks, inner = a.code_dim, a.residual_blocks, a.residual_channels
        features = a.hidden[-1]
        self.bottom_encoder = Encoder(channels, features, a.hidden, blocks, inner)
        self.top_encoder = Encoder(features, d, a.top_hidden, blocks, inner)
        self.top_decoder = Decoder(d, d, a.top_hidden, blocks, inner)
        self.bottom_input = conv(d + features, d, 1)
        sizes = {"top": a.codebook_size_top, "bottom": a.codebook_size_bottom}
        self.quantizers = nn.ModuleDict(
            {
                level: Quantizer(sizes[level], d, a.codebook_update, a.codebook_decay, a.codebook_epsilon)
                for level in LEVELS
            }
        )
        self.upsample_top = deconv(d, d, 2 ** len(a.top_hidden))
        self.decoder = Decoder(channels, 2 * d, a.hidden, blocks, inner)
        self.observation = Observation(a.decoder_kind, a.decoder_variance)

    def quantize(self, x):
        """Both levels' quantizer outputs (see Quantizer.forward) for images x [B, C, H, W], top first."""
        hb = self.bottom_encoder(x)
        top = self.quantizers["top"](self.top_encoder(hb))
        zb = self.bottom_input(torch.cat([self.top_decoder(top[2]), hb], 1))
        return {"top": top, "bottom": self.quantizers["bottom"](zb)}

    def decode(self, top, bottom):
        """Decoder outputs from both levels' code vectors [B, D, h_t, w_t] and [B, D, h_b, w_b]."""
        return self.decoder(torch.cat([bottom, self.upsample_top(top)], 1))

    def mean_bottom(self, like):
        """The average bottom code at every position of bottom code vectors shaped as `like` (no gradient)."""
        q = self.quantizers["bottom"]
        if q.update == "ema":
            mean = (q.cluster_size / q.cluster_size.sum()) @ q.codebook
        else:
            mean = q.codebook.mean(0)
        return mean.detach()[None, :, None, None].expand_as(like)

    def top_code_map(self, top_idx, bottom_grid):
        """The top codes' vectors nearest-neighbour upsampled to the bottom grid, [B, D, h_b, w_b] (as tf's
        resizeNearestNeighbor: source index floor(i * in / out))."""
        return F.interpolate(self.quantizers["top"].lookup(top_idx), size=bottom_grid, mode="nearest")


def training_loss(vq, y, a):
    """One training batch y [B, C, H, W]: (the loss, each level's quantizer outputs, the decoder outputs),
    each codebook's EMA step taken after the losses and before the top-only term (see the module doc), as
    genzoo's objective does. equivalence.py checks it against genzoo's objective."""
    q = vq.quantize(y)
    out = vq.decode(q["top"][2], q["bottom"][2])
    loss = -vq.observation.log_likelihood(out, y).mean()
    for level in LEVELS:
        _, _, _, codebook_loss, commitment, _, _, _ = q[level]
        loss = loss + a.beta * commitment.mean()
        if a.codebook_update == "loss":
            loss = loss + codebook_loss.mean()
    if a.codebook_update == "ema":
        for level in LEVELS:
            _, _, _, _, _, counts, flat, onehot = q[level]
            vq.quantizers[level].ema_update(counts, flat, onehot)
    if a.top_only_weight > 0:
        top_only = vq.decode(q["top"][2], vq.mean_bottom(q["bottom"][1]))
        loss = loss - a.top_only_weight * vq.observation.log_likelihood(top_only, y).mean()
    return loss, q, out


def parse():
    p = two_stage_flags(__doc__.split("\n")[0])
    # The VQ-VAE-2's own config keys (genzoo's vqVae2ConfigSchema, flattened).
    p.add_argument("--codebook-size-top", type=int, default=64)
    p.add_argument("--codebook-size-bottom", type=int, default=64)
    p.add_argument("--hidden", default="64")
    p.add_argument("--top-hidden", default="64")
    p.add_argument("--top-only-weight", type=float, default=0)
    # The priors (genzoo's vqVae2PriorConfigSchema; each prior's Gated PixelCNN config as genzoo completes
    # it, head excluded: --top-prior-… and --bottom-prior-…).
    p.add_argument("--conditional", type=int, choices=[0, 1], default=0)
    for level in LEVELS:
        p.add_argument(f"--{level}-prior-channels", type=int, default=64)
        p.add_argument(f"--{level}-prior-gated-layers", type=int, default=5)
        p.add_argument(f"--{level}-prior-first-kernel", type=int, default=7)
        p.add_argument(f"--{level}-prior-kernel-size", type=int, default=3)
        p.add_argument(f"--{level}-prior-output-channels", type=int, default=64)
        p.add_argument(f"--{level}-prior-conditional", type=int, choices=[0, 1], default=0)
        p.add_argument(f"--{level}-prior-map-channels", type=int, default=0)
    a = p.parse_args()
    check_stages(a)
    a.hidden = [int(s) for s in a.hidden.split(",") if s]
    a.top_hidden = [int(s) for s in a.top_hidden.split(",") if s]
    a.shape = [int(s) for s in a.shape.split(",")]
    # genzoo conditions both priors on the class exactly when `conditional` is set, and the bottom one (only)
    # on the D-channel top code map.
    for level in LEVELS:
        if getattr(a, f"{level}_prior_conditional") != a.conditional:
            raise SystemExit(f"--{level}-prior-conditional must equal --conditional (genzoo sets it from there)")
    if a.top_prior_map_channels != 0 or a.bottom_prior_map_channels != a.code_dim:
        raise SystemExit("the top prior reads no map and the bottom prior the top codes (--code-dim channels)")
    return a


def build_prior(a, level, classes):
    k = a.codebook_size_top if level == "top" else a.codebook_size_bottom
    keys = ["channels", "gated_layers", "first_kernel", "kernel_size", "output_channels"]
    network = [getattr(a, f"{level}_prior_{key}") for key in keys]
    return GatedPixelCnnNet(k, k, *network, classes, map_channels=getattr(a, f"{level}_prior_map_channels"))


def main():
    a = parse()
    gen = set_up_torch(a)
    h_img, w_img, channels = a.shape
    dims = h_img * w_img * channels
    bottom_factor = 2 ** len(a.hidden)
    top_factor = bottom_factor * 2 ** len(a.top_hidden)
    if h_img % top_factor or w_img % top_factor:
        raise SystemExit(f"the VQ-VAE-2 needs images whose height and width are multiples of {top_factor}")
    grids = {"top": (h_img // top_factor, w_img // top_factor), "bottom": (h_img // bottom_factor, w_img // bottom_factor)}
    sizes = {"top": a.codebook_size_top, "bottom": a.codebook_size_bottom}
    vq = VqVae2(a, channels)
    if a.dry_run:
        priors = {level: build_prior(a, level, 10 if a.conditional else 0) for level in LEVELS}
        counts = {level: sum(p.numel() for p in prior.parameters()) for level, prior in priors.items()}
        log(f"vq-vae-2 {sum(p.numel() for p in vq.parameters())} parameters, priors {counts}")
        print(json.dumps({"dry_run": True}))
        return
    train, test, train_labels, test_labels, classes = load_data(a, dims, a.conditional)
    priors = {level: build_prior(a, level, classes) for level in LEVELS}
    twin = Twin(a, "vq-vae-2", vq, dims)

    # ---- stage 1: the VQ-VAE-2
    def vq_step(rows, step):
        y = images(twin.batch(step, lambda: dequantized(train[rows], a.levels, gen)), a.shape)
        loss, q, out = training_loss(vq, y, a)
        twin.record(lambda: training_metrics(loss, {f"_{level}": q[level] for level in LEVELS}, out, y, vq.observation))
        perplexities = lambda: " ".join(f"{level} {code_statistics(q[level][5])[0]:.2f}" for level in LEVELS)
        return loss, lambda: f"loss {loss.item():.4f} perplexity {perplexities()}"

    vq_seconds, vq_speed = train_with_adam(
        vq.parameters(), a.vq_steps, a.vq_batch, a.vq_lr, twin.examples(train), gen, vq_step, "vq-vae-2"
    )
    twin.write_trace()

    # ---- evaluation of stage 1 (and the decoder's term of stage 2)
    vq.eval()
    sums = dict.fromkeys(
        ["recon_mse", "recon_mse_top_only", "perplexity_top", "perplexity_bottom", "codes_used_top", "codes_used_bottom"],
        0.0,
    )
    decoder_ll = torch.zeros(len(test))
    codes = {level: torch.zeros(len(test), *grids[level], dtype=torch.long) for level in LEVELS}
    with torch.no_grad():
        for s in range(0, len(test), a.eval_batch):
            y = images(test[s : s + a.eval_batch], a.shape)
            n = y.shape[0]
            q = vq.quantize(y)
            out = vq.decode(q["top"][2], q["bottom"][2])
            top_only = vq.decode(q["top"][1], vq.mean_bottom(q["bottom"][1]))
            sums["recon_mse"] += ((vq.observation.mean(out) - y) ** 2).mean().item() * n
            sums["recon_mse_top_only"] += ((vq.observation.mean(top_only) - y) ** 2).mean().item() * n
            for level in LEVELS:
                perplexity, used = code_statistics(q[level][5])
                sums[f"perplexity_{level}"] += perplexity * n
                sums[f"codes_used_{level}"] += used * n
                codes[level][s : s + n] = q[level][0]
            decoder_ll[s : s + n] = vq.observation.log_likelihood(out, y)
    offset = dims * math.log(a.levels)
    uniform_nats = sum(grids[level][0] * grids[level][1] * math.log(sizes[level]) for level in LEVELS)
    uniform_nll = -(decoder_ll.mean().item() - uniform_nats) + offset
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
    log(
        f"vq-vae-2 test recon_mse {vq_row['recon_mse']:.5f} (top only {vq_row['recon_mse_top_only']:.5f}) "
        f"perplexity top {vq_row['perplexity_top']:.2f} bottom {vq_row['perplexity_bottom']:.2f} "
        f"bits/dim {vq_row['bits_per_dim']:.4f}"
    )
    if a.prior_steps == 0:
        vq_row["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"vqvae": vq_row, "prior": None}))
        return

    # ---- stage 2: both priors on the frozen encoder's codes of freshly dequantized training batches
    for p in vq.parameters():
        p.requires_grad_(False)

    def log_probs(top_idx, bottom_idx, cond):
        """log p_top(z_t) and log p_bottom(z_b | z_t) per example."""
        bottom_prior = functools.partial(priors["bottom"], smap=vq.top_code_map(top_idx, grids["bottom"]))
        return (
            prior_log_prob(priors["top"], top_idx, sizes["top"], cond),
            prior_log_prob(bottom_prior, bottom_idx, sizes["bottom"], cond),
        )

    def prior_step(rows, _step):
        with torch.no_grad():
            q = vq.quantize(images(dequantized(train[rows], a.levels, gen), a.shape))
        cond = F.one_hot(train_labels[rows], classes).float() if classes else None
        top_lp, bottom_lp = log_probs(q["top"][0], q["bottom"][0], cond)
        top_nll, bottom_nll = -top_lp.mean(), -bottom_lp.mean()
        return top_nll + bottom_nll, lambda: f"nll top {top_nll.item():.3f} bottom {bottom_nll.item():.3f}"

    prior_seconds, prior_speed = train_with_adam(
        [p for prior in priors.values() for p in prior.parameters()],
        a.prior_steps, a.prior_batch, a.prior_lr, len(train), gen, prior_step, "priors",
    )

    prior_ll = {level: torch.zeros(len(test)) for level in LEVELS}
    with torch.no_grad():
        for s in range(0, len(test), a.eval_batch):
            top_idx, bottom_idx = codes["top"][s : s + a.eval_batch], codes["bottom"][s : s + a.eval_batch]
            cond = F.one_hot(test_labels[s : s + a.eval_batch], classes).float() if classes else None
            prior_ll["top"][s : s + len(top_idx)], prior_ll["bottom"][s : s + len(top_idx)] = log_probs(
                top_idx, bottom_idx, cond
            )
    nll = -(decoder_ll + prior_ll["top"] + prior_ll["bottom"]).mean().item() + offset
    prior_row = {
        "recipe": a.recipe,
        "metric": "bits_per_dim",
        "value": nll / (dims * math.log(2)),
        "nll_nats": nll,
        "bits_per_dim": nll / (dims * math.log(2)),
        "recon_mse": vq_row["recon_mse"],
        "decoder_nll_nats": -decoder_ll.mean().item(),
        "top_prior_nll_nats": -prior_ll["top"].mean().item(),
        "bottom_prior_nll_nats": -prior_ll["bottom"].mean().item(),
        "examples_per_second": prior_speed,
        "seconds": prior_seconds,
        "steps": a.prior_steps,
        "backend": backend(),
    }
    log(
        f"two-stage bits/dim {prior_row['bits_per_dim']:.4f} (priors top {prior_row['top_prior_nll_nats']:.2f}, "
        f"bottom {prior_row['bottom_prior_nll_nats']:.2f} nats)"
    )

    def draw(n, cond):
        """z_t ~ p_top, z_b ~ p_bottom(. | z_t), decoded to E[y | z_t, z_b]."""
        top_idx = sample_codes(priors["top"], n, grids["top"], sizes["top"], cond)
        bottom_prior = functools.partial(priors["bottom"], smap=vq.top_code_map(top_idx, grids["bottom"]))
        bottom_idx = sample_codes(bottom_prior, n, grids["bottom"], sizes["bottom"], cond)
        quantizers = vq.quantizers
        out = vq.decode(quantizers["top"].lookup(top_idx), quantizers["bottom"].lookup(bottom_idx))
        return vq.observation.mean(out).permute(0, 2, 3, 1).reshape(n, -1)

    if a.samples > 0:
        prior_row["sampling_images_per_second"] = write_samples(a, classes, draw)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vq_row["peak_memory_mb"] = prior_row["peak_memory_mb"] = peak
    print(json.dumps({"vqvae": vq_row, "prior": prior_row}))


if __name__ == "__main__":
    main()
