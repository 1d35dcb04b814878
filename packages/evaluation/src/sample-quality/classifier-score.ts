/**
 * Classifier score: the "Inception score" of Salimans et al. 2016 ("Improved Techniques for Training
 * GANs", §4) computed with genzoo's per-dataset classifier instead of Inception-v3:
 *
 *   CS = exp(E_x KL(p(y|x) ‖ p(y))),   p(y) = E_x p(y|x)
 *
 * high when each sample is classified confidently (low-entropy p(y|x)) and the samples cover the classes
 * evenly (high-entropy p(y)). It lies in [1, C] for C classes. As in the paper's code, the samples are cut
 * into `splits` consecutive parts, each part's score uses its own marginal p(y), and the mean and
 * (population) standard deviation of the parts' scores are reported. Computed with a different
 * classifier, the numbers are not comparable with the Inception scores in papers.
 */
import { ConfigError, ShapeError } from '@genzoo/core';

export interface ClassifierScoreOptions {
  /** Number of consecutive parts scored separately (default 10). */
  splits?: number;
}

export interface ClassifierScore {
  /** Mean of the parts' scores. */
  mean: number;
  /** Population standard deviation of the parts' scores. */
  std: number;
}

/** Rows may miss summing to 1 by this much (float32 softmax outputs are off by ~1e-7 per class). */
const ROW_SUM_TOLERANCE = 1e-3;

/** The score of row-major [count, classes] class probabilities p(y|x), one sample per row. */
export function classifierScore(
  probabilities: Float32Array,
  count: number,
  classes: number,
  options: ClassifierScoreOptions = {},
): ClassifierScore {
  const { splits = 10 } = options;
  checkProbabilities(probabilities, count, classes);
  if (!Number.isInteger(splits) || splits < 1 || splits > count) {
    throw new ConfigError(`classifierScore: splits must be an integer in [1, ${count}], got ${splits}`);
  }
  const scores = Array.from({ length: splits }, (_, s) =>
    partScore(
      probabilities,
      Math.floor((s * count) / splits),
      Math.floor(((s + 1) * count) / splits),
      classes,
    ),
  );
  const mean = scores.reduce((sum, x) => sum + x, 0) / splits;
  const std = Math.sqrt(scores.reduce((sum, x) => sum + (x - mean) ** 2, 0) / splits);
  return { mean, std };
}

/** exp of the mean KL(p(y|x) ‖ p(y)) over rows [start, end), with p(y) their marginal. */
function partScore(p: Float32Array, start: number, end: number, classes: number): number {
  const marginal = new Float64Array(classes);
  for (let n = start; n < end; n++) for (let c = 0; c < classes; c++) marginal[c] += p[n * classes + c];
  for (let c = 0; c < classes; c++) marginal[c] /= end - start;
  let kl = 0;
  for (let n = start; n < end; n++) {
    for (let c = 0; c < classes; c++) {
      const pc = p[n * classes + c];
      // 0·log 0 = 0; and pc > 0 implies marginal[c] > 0, so no log(0) is ever taken.
      if (pc > 0) kl += pc * (Math.log(pc) - Math.log(marginal[c]));
    }
  }
  return Math.exp(kl / (end - start));
}

function checkProbabilities(p: Float32Array, count: number, classes: number): void {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new ShapeError(`classifierScore: classes must be a positive integer, got ${classes}`);
  }
  if (!Number.isInteger(count) || count < 1) {
    throw new ShapeError(`classifierScore: count must be a positive integer, got ${count}`);
  }
  if (p.length !== count * classes) {
    throw new ShapeError(
      `classifierScore: ${p.length} probabilities do not fill [count, classes] = [${count}, ${classes}]`,
    );
  }
  for (let n = 0; n < count; n++) {
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const pc = p[n * classes + c];
      if (!(pc >= 0 && pc <= 1)) {
        throw new ShapeError(`classifierScore: probability of class ${c} for sample ${n} is ${pc}`);
      }
      sum += pc;
    }
    if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
      throw new ShapeError(
        `classifierScore: probabilities of sample ${n} sum to ${sum}, not 1 (pass softmax outputs, not logits)`,
      );
    }
  }
}
