/** Every layer of the package: invertible, log-det equal to the numerical Jacobian's, on random parameters. */
import { describe, expect, it } from 'vitest';
import { ActNorm } from '../src/common/bijectors/actnorm.js';
import { AdditiveCoupling } from '../src/common/bijectors/additive-coupling.js';
import { AffineCoupling } from '../src/common/bijectors/affine-coupling.js';
import type { Bijector } from '../src/common/bijectors/bijector.js';
import { Chain } from '../src/common/bijectors/chain.js';
import { FactorOut } from '../src/common/bijectors/factor-out.js';
import { FixedAffine } from '../src/common/bijectors/fixed-affine.js';
import { Inverse } from '../src/common/bijectors/inverse.js';
import { Logit } from '../src/common/bijectors/logit.js';
import { ChannelPartition, MaskPartition } from '../src/common/bijectors/partitions.js';
import { Permutation } from '../src/common/bijectors/permutation.js';
import { Reshape } from '../src/common/bijectors/reshape.js';
import type { ScaleKind } from '../src/common/bijectors/scale.js';
import { Squeeze } from '../src/common/bijectors/squeeze.js';
import {
  glowConditioner,
  resnetConditioner,
  zeroConvConditioner,
} from '../src/common/conditioners/convolutional.js';
import { mlpConditioner } from '../src/common/conditioners/mlp.js';
import { InvertibleConv1x1 } from '../src/glow/invertible-conv1x1.js';
import { MaskedAffineAutoregressive } from '../src/maf/masked-affine-autoregressive.js';
import { DiagonalScaling } from '../src/nice/diagonal-scaling.js';
import { expectValidBijector } from './bijector-checks.js';
import { randomize, store, tf, useWasm } from './helpers.js';

// The cases are built while the file is collected, before any hook runs.
await useWasm();

const VECTOR = [6];
const IMAGE = [4, 4, 2];

/** Layers built on a fresh store, all parameters random; `cases` returns [description, layer, input]. */
function layerCases(): Array<[string, Bijector, tf.Tensor]> {
  const params = store();
  const vectors = tf.randomNormal([3, ...VECTOR], 0, 1, 'float32', 1);
  const images = tf.randomNormal([3, ...IMAGE], 0, 1, 'float32', 2);
  const unit = tf.randomUniform([3, ...IMAGE], 0.01, 0.99, 'float32', 3);
  const mlp = mlpConditioner(params, [16, 16]);
  const resnet = resnetConditioner(params, 8, 1);
  const glowNet = glowConditioner(params, 8);
  const cases: Array<[string, Bijector, tf.Tensor]> = [
    [
      'additive coupling, alternate mask',
      new AdditiveCoupling('a0', VECTOR, new MaskPartition(params, 'a0', VECTOR, 'alternate', 0), mlp),
      vectors,
    ],
    [
      'additive coupling, half split',
      new AdditiveCoupling('a1', VECTOR, new ChannelPartition(VECTOR, 1), mlp),
      vectors,
    ],
    [
      'additive coupling, image channels',
      new AdditiveCoupling('a2', IMAGE, new ChannelPartition(IMAGE, 0), glowNet),
      images,
    ],
    ['diagonal scaling', new DiagonalScaling(params, 'd', VECTOR), vectors],
    ['actnorm on vectors', new ActNorm(params, 'n0', VECTOR), vectors],
    ['actnorm on images', new ActNorm(params, 'n1', IMAGE), images],
    ['1×1 convolution, plain', new InvertibleConv1x1(params, 'c0', IMAGE, 'plain', 5), images],
    ['1×1 convolution, LU', new InvertibleConv1x1(params, 'c1', IMAGE, 'lu', 6), images],
    ['1×1 convolution on vectors', new InvertibleConv1x1(params, 'c2', VECTOR, 'lu', 7), vectors],
    ['squeeze', new Squeeze(IMAGE), images],
    ['logit', new Logit(IMAGE, 0.05), unit],
    ['fixed affine', new FixedAffine(IMAGE, 0.5, -0.25), images],
    ['reverse permutation', new Permutation(params, 'p0', VECTOR, 'reverse', 0), vectors],
    ['random permutation', new Permutation(params, 'p1', VECTOR, 'random', 9), vectors],
    ['reshape', new Reshape(IMAGE, [32]), images],
    [
      'factor-out, standard prior',
      new FactorOut(
        'f0',
        IMAGE,
        new AffineCoupling(
          params,
          'f0c',
          [4, 4, 1],
          new MaskPartition(params, 'f0c', [4, 4, 1], 'checkerboard', 0),
          resnet,
          'tanh',
        ),
      ),
      images,
    ],
    [
      'factor-out, learned prior',
      new FactorOut('f1', IMAGE, new ActNorm(params, 'f1n', [4, 4, 1]), zeroConvConditioner(params)),
      images,
    ],
    ['masked autoregressive', mafLayer(params, 'm0', 'natural'), vectors],
    ['inverse autoregressive (inverted MAF)', new Inverse(mafLayer(params, 'm1', 'random')), vectors],
    [
      'chain',
      new Chain([
        new ActNorm(params, 'ch0', IMAGE),
        new Squeeze(IMAGE),
        new InvertibleConv1x1(params, 'ch1', [2, 2, 8], 'plain', 11),
      ]),
      images,
    ],
  ];
  for (const scale of ['tanh', 'sigmoid', 'exp'] as ScaleKind[]) {
    cases.push(
      [
        `affine coupling (${scale}), half split`,
        new AffineCoupling(params, `v-${scale}`, VECTOR, new ChannelPartition(VECTOR, 0), mlp, scale),
        vectors,
      ],
      [
        `affine coupling (${scale}), checkerboard`,
        new AffineCoupling(
          params,
          `k-${scale}`,
          IMAGE,
          new MaskPartition(params, `k-${scale}`, IMAGE, 'checkerboard', 1),
          resnet,
          scale,
        ),
        images,
      ],
      [
        `affine coupling (${scale}), channel-wise`,
        new AffineCoupling(params, `c-${scale}`, IMAGE, new ChannelPartition(IMAGE, 1), glowNet, scale),
        images,
      ],
    );
  }
  randomize(params.all(), 100, 0.2);
  return cases;
}

function mafLayer(params: ReturnType<typeof store>, key: string, ordering: 'natural' | 'random') {
  return new MaskedAffineAutoregressive(params, key, VECTOR, {
    hidden: [12],
    activation: 'relu',
    ordering,
    hiddenDegrees: 'even',
    scale: 'tanh',
    seed: 4,
  });
}

describe('bijectors: invertibility and log-det against the numerical Jacobian', () => {
  const cases = layerCases();
  it.each(cases.map(([name, layer, x]) => ({ name, layer, x })))('$name', ({ layer, x }) => {
    expectValidBijector(layer, x);
  });
});

describe('partitions', () => {
  it('a checkerboard coupling leaves the identity squares exactly as they are', () => {
    const params = store();
    const layer = new AffineCoupling(
      params,
      'k',
      IMAGE,
      new MaskPartition(params, 'k', IMAGE, 'checkerboard', 0),
      resnetConditioner(params, 8, 1),
      'tanh',
    );
    randomize(params.all(), 7);
    const x = tf.randomNormal([2, ...IMAGE], 0, 1, 'float32', 1);
    const { y, logDet } = layer.forward(x);
    const [xs, ys] = [x.arraySync() as number[][][][], y.arraySync() as number[][][][]];
    let changed = 0;
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        for (let c = 0; c < 2; c++) {
          if ((i + j) % 2 === 0) expect(ys[0][i][j][c]).toBe(xs[0][i][j][c]);
          else if (ys[0][i][j][c] !== xs[0][i][j][c]) changed++;
        }
      }
    }
    expect(changed).toBe(16);
    tf.dispose([x, y, logDet]);
    params.dispose();
  });
});
