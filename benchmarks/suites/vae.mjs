// Suite `vae`, beside the @genzoo/vae plugin's `reproduce` recipes (which the harness adds itself):
//
// - PyTorch references for the quality target — the same network, optimizer, batch, epochs and data
//   protocol as the genzoo recipe named in `recipe`, evaluated on genzoo's own binarized test images with
//   the same K and test subset, so the two −log p(x) compare directly (benchmarks/reference/pytorch_vae.py).
//   PyTorch runs on one thread, as genzoo's wasm backend does in Node, so examples/s compare per core.
// - The encoder-gradient variance of the reparameterization and score-function estimators on one batch
//   (benchmarks/vae/gradient-variance.mjs).

export const columns = [
  'estimator',
  'encoder_grad_variance',
  'encoder_grad_mean_sq',
  'variance_vs_reparameterization',
];

const TEST_SET = { dataset: 'fashion-mnist', options: { binarize: 'dynamic' } };

/** The recipes' protocol (packages/vae/src/recipes/protocol.ts): 10 epochs; K = 5000 on all 10,000 test images; quick K = 1000 on 1000. */
function evaluation(quick) {
  return quick ? { 'eval-limit': 1000, 'eval-samples': 1000 } : { 'eval-limit': 0, 'eval-samples': 5000 };
}

function pytorchReference({ recipe, k, quickEpochs }, quick) {
  return {
    id: `pytorch/${recipe}`,
    script: 'reference/pytorch.mjs',
    args: {
      script: 'pytorch_vae.py',
      testSet: TEST_SET,
      args: {
        recipe,
        hidden: '512,256',
        latent: 20,
        k,
        epochs: quick ? quickEpochs : 10,
        batch: 128,
        lr: 1e-3,
        threads: 1,
        ...evaluation(quick),
      },
    },
  };
}

export function entries({ quick }) {
  return [
    pytorchReference({ recipe: 'vae/fashion-mnist', k: 1, quickEpochs: 1 }, quick),
    pytorchReference({ recipe: 'iwae/fashion-mnist-k5', k: 5, quickEpochs: 0.5 }, quick),
    ...['vae/fashion-mnist', 'iwae/fashion-mnist-k5'].map((id) => {
      const [model, recipe] = id.split('/');
      return {
        id: `gradient-variance/${model}`,
        script: 'vae/gradient-variance.mjs',
        args: { model, recipe, trainSteps: quick ? 200 : 2000, repeats: quick ? 50 : 200 },
      };
    }),
  ];
}
