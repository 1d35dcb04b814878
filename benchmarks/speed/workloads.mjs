// The workloads of the `speed` suite: each a genzoo recipe (the network, batch size and data a user of
// that recipe trains), with config overrides where the suite measures another width than the recipe's.
// genzoo and the PyTorch reference train the same network on the same batch of the same data, in float32.
// `steps` (genzoo) and `pytorchSteps` give each side 15–60 s of timed training after its warm-up steps.

/** @type {Array<{ id: string, model: string, recipe: string, config?: object, sampling?: boolean, steps: number, pytorchSteps: number }>} */
export const WORKLOADS = [
  // Kingma & Welling's MLP VAE, 784-512-256-20, batch 128.
  { id: 'mlp-vae', model: 'vae', recipe: 'fashion-mnist', steps: 60, pytorchSteps: 200 },
  // Conv VAE 28→14→7 (32, 64 channels), z = 16, transposed-convolution decoder, batch 128.
  { id: 'conv-vae', model: 'vae', recipe: 'fashion-mnist-conv', steps: 50, pytorchSteps: 100 },
  // DCGAN at the paper's widths for 28×28 (generator 128→64, discriminator 64→128; the recipe's are
  // half), batch 64: one discriminator and one generator update per step.
  {
    id: 'dcgan',
    model: 'dcgan',
    recipe: 'fashion-mnist',
    config: { network: { kind: 'dcgan', generatorChannels: [128, 64], discriminatorChannels: [64, 128] } },
    steps: 30,
    pytorchSteps: 60,
  },
  // PixelCNN, 64 channels, 5 residual blocks, batch 32; samples/s too.
  { id: 'pixelcnn', model: 'pixelcnn', recipe: 'fashion-mnist', sampling: true, steps: 30, pytorchSteps: 60 },
  // Gated PixelCNN, 32 channels, 5 gated layers, batch 32; samples/s too.
  {
    id: 'gated-pixelcnn',
    model: 'gated-pixelcnn',
    recipe: 'fashion-mnist',
    sampling: true,
    steps: 24,
    pytorchSteps: 50,
  },
  // RealNVP on 2-D moons: 8 affine couplings, MLPs 128-128, batch 256.
  { id: 'realnvp-2d', model: 'realnvp', recipe: 'moons', steps: 100, pytorchSteps: 300 },
  // Glow on Fashion-MNIST: 2 levels × 8 steps, 64 features, batch 64.
  { id: 'glow', model: 'glow', recipe: 'fashion-mnist', steps: 20, pytorchSteps: 40 },
];
