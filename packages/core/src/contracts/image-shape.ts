/**
 * The picture behind an event shape. Image datasets may be stored flattened ([784] for MNIST, [3072] for
 * CIFAR-10), so square grayscale or RGB vectors are read back as images; rank-3 shapes are images already.
 */

/** [height, width, channels] for image-like event shapes, undefined for anything else (2-D points, …). */
export function imageShapeOf(eventShape: readonly number[]): [number, number, number] | undefined {
  if (eventShape.length === 3) return [eventShape[0], eventShape[1], eventShape[2]];
  if (eventShape.length !== 1) return undefined;
  const d = eventShape[0];
  for (const channels of [1, 3]) {
    const side = Math.round(Math.sqrt(d / channels));
    // Tiny "squares" (a 16-dimensional vector as 4×4) are far more likely feature vectors than images.
    if (side > 4 && side * side * channels === d) return [side, side, channels];
  }
  return undefined;
}
