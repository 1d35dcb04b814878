/**
 * Gradient fixes for differentiating a gradient (second order), as in the WGAN-GP penalty
 * E[(‖∇ₓD(x̂)‖₂ − 1)²] (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs") differentiated
 * w.r.t. D's weights. tfjs fails there in three ways, fixed here:
 *
 * 1. Comparisons have no gradient. The first-order gradients of piecewise-linear functions are built
 *    from them: leakyRelu' = where(x > 0, 1, α) (Greater), maximum' = a ≥ b, a < b (GreaterEqual, Less),
 *    minimum' (LessEqual, Greater), clipByValue' (LogicalAnd). Differentiating such a gradient walks
 *    back through the comparison, and tfjs throws for a kernel without a gradient. A comparison is
 *    piecewise constant: its derivative is zero almost everywhere.
 * 2. EluGrad, elu's gradient kernel, has no gradient; its closed form is at `eluGradGradient`.
 * 3. Gradients that reuse the op's output y (elu, exp, sigmoid, tanh, softmax) lose the path through y.
 *    tfjs saves y for the backward pass as a clone recorded on the tape *before* the op itself, so the
 *    tape's forward scan (tape.ts, getFilteredNodesXToY) never links the clone to x: a second-order
 *    gradient through it throws "Cannot compute gradient of y=f(x)" or, when another path exists,
 *    silently drops that term (a tanh critic's penalty gradient comes out wrong). The replacements save
 *    the input x and recompute y in the backward pass (one extra elementwise op), which the tape links.
 *    Ops built with tf.customGrad that save outputs (logSoftmax, softmaxCrossEntropy) keep the defect.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Kernels whose output does not depend differentiably on any input: d/d(input) = 0. */
const PIECEWISE_CONSTANT: Record<string, string[]> = {
  Equal: ['a', 'b'],
  NotEqual: ['a', 'b'],
  Greater: ['a', 'b'],
  GreaterEqual: ['a', 'b'],
  Less: ['a', 'b'],
  LessEqual: ['a', 'b'],
  LogicalAnd: ['a', 'b'],
  LogicalOr: ['a', 'b'],
  LogicalXor: ['a', 'b'],
  LogicalNot: ['x'],
};

function zeroGradient(kernelName: string, inputNames: string[]): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: inputNames,
    // Zeros shaped like each input (not like dy: comparisons broadcast).
    gradFunc: (_dy, saved) =>
      Object.fromEntries(inputNames.map((name, i) => [name, () => tf.zerosLike(saved[i])])),
  };
}

/**
 * EluGrad(dy, y) = dy · s(y) with s(y) = 1 for y > 0 and y + 1 otherwise, so
 *   ∂/∂dy = ddx · s(y) = EluGrad(ddx, y),   ∂/∂y = ddx · dy · [y ≤ 0].
 * Through y = elu(x) the second one gives elu''(x) = eˣ = y + 1 for x < 0, as it should.
 */
const eluGradGradient: tf.GradConfig = {
  kernelName: tf.EluGrad,
  inputsToSave: ['dy', 'y'],
  gradFunc: (ddx, saved) => {
    const [dy, y] = saved;
    const g = ddx as tf.Tensor;
    return {
      dy: () => tf.engine().runKernel(tf.EluGrad, { dy: g, y }) as tf.Tensor,
      y: () => tf.mul(tf.mul(g, dy), tf.cast(tf.lessEqual(y, 0), 'float32')),
    };
  },
};

/** A gradient of the elementwise op `kernelName` (input x) that recomputes y = f(x) from x. */
function recomputing(kernelName: string, dx: (dy: tf.Tensor, x: tf.Tensor) => tf.Tensor): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['x'],
    gradFunc: (dy, [x]) => ({ x: () => dx(dy as tf.Tensor, x) }),
  };
}

const OUTPUT_REUSING: tf.GradConfig[] = [
  recomputing(tf.Elu, (dy, x) => tf.engine().runKernel(tf.EluGrad, { dy, y: tf.elu(x) }) as tf.Tensor),
  recomputing(tf.Exp, (dy, x) => tf.mul(dy, tf.exp(x))),
  recomputing(tf.Sigmoid, (dy, x) => {
    const y = tf.sigmoid(x);
    return tf.mul(dy, tf.mul(y, tf.sub(1, y)));
  }),
  recomputing(tf.Tanh, (dy, x) => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x))))),
  {
    // softmax'ᵀ·dy = y ⊙ (dy − Σ_dim dy ⊙ y)
    kernelName: tf.Softmax,
    inputsToSave: ['logits'],
    gradFunc: (dy, [logits], attrs) => ({
      logits: () => {
        const { dim } = attrs as unknown as tf.SoftmaxAttrs;
        const y = tf.softmax(logits, dim);
        const dyTimesY = tf.mul(dy as tf.Tensor, y);
        return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
      },
    }),
  },
];

/** True while tfjs's own gradient for `kernelName` still saves the op's outputs. */
function savesOutputs(kernelName: string): boolean {
  return tf.getGradient(kernelName)?.outputsToSave?.some(Boolean) ?? false;
}

/** Registers the gradients above where tfjs needs them; returns the kernel names it registered. */
export function registerSecondOrderGradients(): string[] {
  const missing = [
    ...Object.entries(PIECEWISE_CONSTANT).map(([name, inputs]) => zeroGradient(name, inputs)),
    eluGradGradient,
  ].filter((config) => tf.getGradient(config.kernelName) == null);
  const replacements = OUTPUT_REUSING.filter((config) => savesOutputs(config.kernelName));
  for (const config of [...missing, ...replacements]) tf.registerGradient(config);
  return [...missing, ...replacements].map((config) => config.kernelName);
}
