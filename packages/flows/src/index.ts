/**
 * @genzoo/flows — normalizing flows with exact likelihood as a genzoo plugin: NICE, RealNVP (vectors and
 * multi-scale images), Glow, MAF and IAF, built from a bijector API that plugin authors extend: every
 * layer's `forward`/`inverse` returns `{ y, logDet }`.
 */
import { flowsPlugin } from './plugin.js';

export { BaseDistribution, type BaseKind } from './common/base-distribution.js';
export { ActNorm } from './common/bijectors/actnorm.js';
export { AdditiveCoupling } from './common/bijectors/additive-coupling.js';
export { AffineCoupling } from './common/bijectors/affine-coupling.js';
export type { Bijector, FlowResult } from './common/bijectors/bijector.js';
export { Chain } from './common/bijectors/chain.js';
export { FactorOut } from './common/bijectors/factor-out.js';
export { FixedAffine } from './common/bijectors/fixed-affine.js';
export { Inverse } from './common/bijectors/inverse.js';
export { Logit } from './common/bijectors/logit.js';
export {
  ChannelPartition,
  MaskPartition,
  type MaskPattern,
  type Parity,
  type Partition,
  vectorPartition,
} from './common/bijectors/partitions.js';
export { Permutation, type PermutationKind } from './common/bijectors/permutation.js';
export { type Preprocessing, preprocessingLayers } from './common/bijectors/preprocessing.js';
export { Reshape } from './common/bijectors/reshape.js';
export { LogScale, type ScaleKind } from './common/bijectors/scale.js';
export { Squeeze } from './common/bijectors/squeeze.js';
export { type Conditioner, type ConditionerFactory, splitParams } from './common/conditioners/conditioner.js';
export {
  glowConditioner,
  resnetConditioner,
  zeroConvConditioner,
} from './common/conditioners/convolutional.js';
export { mlpConditioner } from './common/conditioners/mlp.js';
export { logAbsDet, matrixInverse } from './common/linalg/ops.js';
export { FlowModel } from './common/models/flow-model.js';
export { type GlowConfig, glowConfigSchema } from './glow/config.js';
export { glowDefinition } from './glow/index.js';
export { type Conv1x1Parameterization, InvertibleConv1x1 } from './glow/invertible-conv1x1.js';
export { createGlow } from './glow/model.js';
export { iafDefinition } from './iaf/index.js';
export { type MafConfig, mafConfigSchema } from './maf/config.js';
export { mafDefinition } from './maf/index.js';
export {
  MaskedAffineAutoregressive,
  type MaskedAutoregressiveOptions,
} from './maf/masked-affine-autoregressive.js';
export { type AutoregressiveDirection, createMaf } from './maf/model.js';
export { type NiceConfig, niceConfigSchema } from './nice/config.js';
export { DiagonalScaling } from './nice/diagonal-scaling.js';
export { niceDefinition } from './nice/index.js';
export { createNice } from './nice/model.js';
export { type RealnvpConfig, realnvpConfigSchema } from './realnvp/config.js';
export { realnvpDefinition } from './realnvp/index.js';
export { createRealnvp } from './realnvp/model.js';
export { flowsPlugin };
export default flowsPlugin;
