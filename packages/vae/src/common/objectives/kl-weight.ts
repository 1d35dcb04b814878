/**
 * KL warm-up (Bowman et al. 2016; Sønderby et al. 2016): the weight of the KL term at 0-based step t is
 *
 *   β_t = β · min(1, t / N)
 *
 * rising linearly from 0 to its target β over N warm-up steps (N = 0: β from the start). Early in
 * training the decoder then learns to use z before the KL term can switch latent dimensions off.
 */
export function klWeight(target: number, warmupSteps: number, step: number): number {
  if (warmupSteps <= 0) return target;
  return target * Math.min(1, step / warmupSteps);
}
