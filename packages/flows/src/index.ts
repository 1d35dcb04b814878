/**
 * @genzoo/flows — normalizing flows with exact likelihood as a genzoo plugin: NICE, RealNVP (vectors and
 * multi-scale images), Glow, MAF and IAF, built from a bijector API that plugin authors extend: every
 * layer's `forward`/`inverse` returns `{ y, logDet }`.
 */
import { flowsPlugin } from './plugin.js';

export { BaseDistribution, type BaseKind } from './base/base-distribution.js';
export { ActNorm } from './bijectors/actnorm.js';
export { AdditiveCoupling } from './bijectors/additive-coupling.js';
export { AffineCoupling } from './bijectors/affine-coupling.js';
export type { Bijector, FlowResult } from './bijectors/bijector.js';
export { Chain } from './bijectors/chain.js';
export { DiagonalScaling } from './bijectors/diagonal-scaling.js';
export { FactorOut } from './bijectors/factor-out.js';
export { FixedAffine } from './bijectors/fixed-affine.js';
export { Inverse } from './bijectors/inverse.js';
export { type Conv1x1Parameterization, InvertibleConv1x1 } from './bijectors/invertible-conv1x1.js';
export { Logit } from './bijectors/logit.js';
export {
  MaskedAffineAutoregressive,
  type MaskedAutoregressiveOptions,
} from './bijectors/masked-affine-autoregressive.js';
export {
  ChannelPartition,
  MaskPartition,
  type MaskPattern,
  type Parity,
  type Partition,
  vectorPartition,
} from './bijectors/partitions.js';
export { Permutation, type PermutationKind } from './bijectors/permutation.js';
export { type Preprocessing, preprocessingLayers } from './bijectors/preprocessing.js';
export { Reshape } from './bijectors/reshape.js';
export { LogScale, type ScaleKind } from './bijectors/scale.js';
export { Squeeze } from './bijectors/squeeze.js';
export { type Conditioner, type ConditionerFactory, splitParams } from './conditioners/conditioner.js';
export { glowConditioner, resnetConditioner, zeroConvConditioner } from './conditioners/convolutional.js';
export { mlpConditioner } from './conditioners/mlp.js';
export { type GlowConfig, glowConfigSchema } from './glow/config.js';
export { glowDefinition } from './glow/definition.js';
export { createGlow } from './glow/model.js';
export { logAbsDet, matrixInverse } from './linalg/ops.js';
export { type MafConfig, mafConfigSchema } from './maf/config.js';
export { iafDefinition, mafDefinition } from './maf/definition.js';
export { type AutoregressiveDirection, createMaf } from './maf/model.js';
export { FlowModel } from './models/flow-model.js';
export { type NiceConfig, niceConfigSchema } from './nice/config.js';
export { niceDefinition } from './nice/definition.js';
export { createNice } from './nice/model.js';
export { type RealnvpConfig, realnvpConfigSchema } from './realnvp/config.js';
export { realnvpDefinition } from './realnvp/definition.js';
export { createRealnvp } from './realnvp/model.js';
export { flowsPlugin };
export default flowsPlugin;
