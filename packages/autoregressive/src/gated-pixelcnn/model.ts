/**
 * Gated PixelCNN (van den Oord, Kalchbrenner, Vinyals, Espeholt, Graves & Kavukcuoglu, NeurIPS 2016,
 * "Conditional Image Generation with PixelCNN Decoders", §2.1–2.3 and Fig. 2).
 *
 * Masked k × k convolutions leave a blind spot: a pixel never sees the pixels above-right that its
 * left neighbours' fields would bring in. Two stacks remove it:
 * - the vertical stack v sees every pixel in the rows above (a (k//2 + 1) × k kernel reaching down to
 *   the current row, fed from the rows above only);
 * - the horizontal stack h sees the pixels left of the current one in its row (a 1 × (k//2 + 1) kernel),
 *   and receives the vertical stack through a 1 × 1 convolution, which is causal because v at row r
 *   depends on rows < r only.
 *
 * Every layer uses the gated unit o = tanh(W_f ∗ x + V_f y) ⊙ σ(W_g ∗ x + V_g y), the one-hot class y adding
 * a learned bias to the gates (§2.3), and the horizontal stack is residual:
 *
 *   v_pre = W_v ∗ v,   h_pre = W_h ∗ h + W_{v→h} v_pre
 *   v' = gate(v_pre + V_v y),   h' = h + W_1×1 gate(h_pre + V_h y)
 *
 * With `mapChannels` > 0 the gates are also conditioned on a spatial map s [B, H, W, C_h] of the image's
 * height and width (§2.3, "location-dependent" conditioning), o = tanh(W_f ∗ x + V_f ∗ s) ⊙ σ(W_g ∗ x +
 * V_g ∗ s), V ∗ s a 1 × 1 convolution: gate(v_pre + V_v y + V_v ∗ s), gate(h_pre + V_h y + V_h ∗ s). The map
 * is not masked (it may depend on anything but x); the output at (r, c) sees it at the rows above and the
 * current row within the receptive field.
 *
 * The first layer's kernels are k₁//2 × k₁ (strictly above) and 1 × k₁//2 (strictly left). Both stacks'
 * fields grow by k//2 per layer up, left and right; the output is read from the horizontal stack through
 * two 1 × 1 layers, as in PixelCNN. The last layer computes no v': nothing reads it (its v_pre still
 * feeds h through the link).
 */
import { Dense, type ModelContext, type ParameterStore, Pointwise, ShapeError } from '@genzoo/core';
import * as tf from '@tensorflow/tfjs-core';
import { buildHead } from '../common/heads/config.js';
import { ShiftedConv2D } from '../common/layers/shifted-conv2d.js';
import { classesOf } from '../common/models/classes.js';
import { ImageAutoregressiveModel } from '../common/models/image-model.js';
import { PixelOutputLayers, stackedReach } from '../common/networks/output-layers.js';
import type { ImageNetwork, ReceptiveField } from '../common/networks/types.js';
import type { GatedPixelcnnConfig } from './config.js';

export interface GatedPixelCnnShape {
  channels: number;
  /** Gated layers after the first. */
  gatedLayers: number;
  firstKernel: number;
  kernelSize: number;
  outputChannels: number;
}

interface GatedLayer {
  vertical: ShiftedConv2D;
  horizontal: ShiftedConv2D;
  link: Pointwise;
  residual: Pointwise;
  verticalClass?: Dense;
  horizontalClass?: Dense;
  verticalMap?: Pointwise;
  horizontalMap?: Pointwise;
}

/** What the gates are conditioned on: the one-hot class y [B, classes], the map s [B, H, W, C_h]. */
interface GateConditions {
  condition?: tf.Tensor2D;
  map?: tf.Tensor4D;
}

export class GatedPixelCnnNetwork implements ImageNetwork {
  readonly receptiveField: ReceptiveField;
  readonly mapChannels: number;
  private readonly layers: GatedLayer[] = [];
  private readonly output: PixelOutputLayers;

  constructor(
    store: ParameterStore,
    key: string,
    inputChannels: number,
    outputs: number,
    shape: GatedPixelCnnShape,
    classes: number,
    /** Channels C_h of the conditioning map; 0 for none. */
    mapChannels = 0,
  ) {
    const c = shape.channels;
    this.mapChannels = mapChannels;
    for (let l = 0; l <= shape.gatedLayers; l++) {
      const first = l === 0;
      const k = first ? shape.firstKernel : shape.kernelSize;
      const reach = Math.floor(k / 2);
      const inputs = first ? inputChannels : c;
      const prefix = `${key}/layer${l}`;
      this.layers.push({
        vertical: new ShiftedConv2D(store, `${prefix}/vertical`, inputs, 2 * c, {
          kernel: [first ? reach : reach + 1, k],
          top: reach,
          left: reach,
          right: reach,
        }),
        horizontal: new ShiftedConv2D(store, `${prefix}/horizontal`, inputs, 2 * c, {
          kernel: [1, first ? reach : reach + 1],
          top: 0,
          left: reach,
          right: 0,
        }),
        link: new Pointwise(store, `${prefix}/link`, 2 * c, 2 * c),
        residual: new Pointwise(store, `${prefix}/residual`, c, c),
        // The last layer's gated vertical output would feed nothing: only its pre-activation (through
        // the link) reaches the output, so it has no vertical gate and no vertical class bias.
        ...(classes > 0 && l < shape.gatedLayers
          ? { verticalClass: new Dense(store, `${prefix}/vertical-class`, classes, 2 * c) }
          : {}),
        ...(classes > 0
          ? { horizontalClass: new Dense(store, `${prefix}/horizontal-class`, classes, 2 * c) }
          : {}),
        ...(mapChannels > 0 && l < shape.gatedLayers
          ? { verticalMap: new Pointwise(store, `${prefix}/vertical-map`, mapChannels, 2 * c) }
          : {}),
        ...(mapChannels > 0
          ? { horizontalMap: new Pointwise(store, `${prefix}/horizontal-map`, mapChannels, 2 * c) }
          : {}),
      });
    }
    this.output = new PixelOutputLayers(store, key, c, shape.outputChannels, outputs);
    this.receptiveField = stackedReach(shape.firstKernel, shape.gatedLayers, shape.kernelSize);
  }

  /** Nothing to freeze: the stacks' shifted kernels are plain parameters, with no masks. */
  freeze(): void {}

  thaw(): void {}

  apply(input: tf.Tensor4D, condition?: tf.Tensor2D, map?: tf.Tensor4D): tf.Tensor4D {
    if (this.mapChannels > 0 && !map)
      throw new ShapeError('gated-pixelcnn: the network needs its conditioning map');
    const given: GateConditions = { condition, map };
    return tf.tidy(() => {
      let v: tf.Tensor4D = input;
      let h: tf.Tensor4D = input;
      const last = this.layers.length - 1;
      this.layers.forEach((layer, l) => {
        const vPre = layer.vertical.apply(v);
        const hPre = tf.add(layer.horizontal.apply(h), layer.link.apply(vPre)) as tf.Tensor4D;
        if (l < last) v = gate(vPre, layer.verticalClass, layer.verticalMap, given);
        const hGated = layer.residual.apply(gate(hPre, layer.horizontalClass, layer.horizontalMap, given));
        h = l === 0 ? hGated : (tf.add(h, hGated) as tf.Tensor4D);
      });
      return this.output.apply(h);
    });
  }
}

/**
 * tanh(a + V_f y + V_f ∗ s) ⊙ σ(b + V_g y + V_g ∗ s) for x = [a, b] split on channels: the class bias V y
 * and the map's 1 × 1 convolution V ∗ s when the layer has them.
 */
function gate(
  x: tf.Tensor4D,
  classBias: Dense | undefined,
  mapConv: Pointwise | undefined,
  { condition, map }: GateConditions,
): tf.Tensor4D {
  let pre: tf.Tensor4D = x;
  if (classBias && condition)
    pre = tf.add(pre, tf.reshape(classBias.apply(condition), [x.shape[0], 1, 1, x.shape[3]]));
  if (mapConv && map) pre = tf.add(pre, mapConv.apply(map));
  const [filter, gateInput] = tf.split(pre, 2, 3);
  return tf.mul(tf.tanh(filter), tf.sigmoid(gateInput)) as tf.Tensor4D;
}

/**
 * The Gated PixelCNN model: the network above under the raster-order image model
 * (common/models/image-model.ts), class-conditional with `conditional: true`, conditioned on a map of
 * `mapChannels` channels (`logProb(x, { map })`, `sample(n, { map })`) when it is > 0.
 */
export function createGatedPixelCnn(name: string, config: GatedPixelcnnConfig, context: ModelContext) {
  const classes = config.conditional ? classesOf(name, context) : 0;
  return new ImageAutoregressiveModel(
    name,
    config,
    context,
    (channels) => buildHead(config.head, channels),
    (store, head, numClasses) =>
      new GatedPixelCnnNetwork(
        store,
        'gated',
        head.inputChannels,
        head.paramsPerPosition,
        config,
        numClasses,
        config.mapChannels,
      ),
    classes,
  );
}
