import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkpointDirectory } from '../src/node/checkpoint-directory.js';
import {
  type OptimizerConfigInput,
  type TrainConfigInput,
  trainConfigSchema,
} from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  gaussianData,
  snapshotVariables,
  ToyAutoencoder,
  ToyGan,
  toyAeConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-resume-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 52 examples in batches of 8: 6 batches per epoch, so the resume point lands mid-epoch.
const data = () => new ArrayDataset('blob', gaussianData(52, [1, -2], 0.5, 7), [2], 0.05);

function lossRecorder() {
  const losses = new Map<number, Record<string, number>>();
  return {
    losses,
    callback: {
      onStepEnd: (step: number, metrics: Record<string, number>) => void losses.set(step, metrics),
    },
  };
}

async function trainAe(train: TrainConfigInput, dir?: string) {
  const model = new ToyAutoencoder(toyAeConfigSchema.parse({}), { eventShape: [2], seed: 3 });
  const recorder = lossRecorder();
  const trainer = new Trainer({
    model,
    modelRef: toyRef('toy-ae'),
    train: data(),
    config: trainConfigSchema.parse(train),
    callbacks: [recorder.callback],
    checkpoints: dir === undefined ? undefined : checkpointDirectory(dir),
  });
  const result = await trainer.run();
  return { model, losses: recorder.losses, result };
}

const optimizers: OptimizerConfigInput[] = [
  { name: 'adam', learningRate: 0.01 },
  { name: 'adamax', learningRate: 0.01 },
  { name: 'rmsprop', learningRate: 0.005, momentum: 0.5 },
  { name: 'sgd', learningRate: 0.05 },
  { name: 'sgd', learningRate: 0.05, momentum: 0.9 },
];

describe('Trainer.resume', () => {
  for (const optimizer of optimizers) {
    const label = `${optimizer.name}${'momentum' in optimizer && optimizer.momentum ? ' with momentum' : ''}`;
    it(`continues exactly where it stopped (${label})`, async () => {
      const N = 7;
      const M = 6;
      const base: TrainConfigInput = {
        batchSize: 8,
        seed: 11,
        optimizer,
        schedule: { kind: 'cosine', totalSteps: N + M, minFactor: 0.1 },
        clipNorm: 0.5,
      };
      const full = await trainAe({ ...base, steps: N + M });

      const dir = join(root, `ckpt-${label.replace(/ /g, '-')}`);
      const first = await trainAe({ ...base, steps: N }, dir);
      expect(first.model.initializeCalls).toBe(1);
      first.model.dispose();

      const recorder = lossRecorder();
      const resumed = await Trainer.resume(checkpointDirectory(dir), {
        registry: toyRegistry(),
        train: data(),
        steps: N + M,
        callbacks: [recorder.callback],
      });
      expect(resumed.currentStep).toBe(N);
      const result = await resumed.run();
      expect(result.steps).toBe(N + M);
      // The resumed model was restored, not initialized from data again.
      expect((resumed.model as ToyAutoencoder).initializeCalls).toBe(0);

      for (let step = N + 1; step <= N + M; step++) {
        expect(recorder.losses.get(step)).toEqual(full.losses.get(step));
      }
      expect(snapshotVariables(resumed.model)).toEqual(snapshotVariables(full.model));
      full.model.dispose();
      resumed.model.dispose();
    });
  }

  it('continues a two-player schedule exactly, with each player keeping its own optimizer', async () => {
    const config = (steps: number) =>
      trainConfigSchema.parse({
        steps,
        batchSize: 8,
        seed: 5,
        optimizer: { name: 'adam', learningRate: 0.02 },
      });
    const gan = () => new ToyGan({ generatorLr: 0.05 }, { eventShape: [2], seed: 1 });
    const run = async (steps: number, dir?: string) => {
      const model = gan();
      const recorder = lossRecorder();
      const trainer = new Trainer({
        model,
        modelRef: toyRef('toy-gan'),
        train: data(),
        config: config(steps),
        callbacks: [recorder.callback],
        checkpoints: dir === undefined ? undefined : checkpointDirectory(dir),
      });
      await trainer.run();
      return { model, losses: recorder.losses };
    };
    const full = await run(9);
    const dir = join(root, 'gan');
    (await run(4, dir)).model.dispose();
    const recorder = lossRecorder();
    const resumed = await Trainer.resume(checkpointDirectory(dir), {
      registry: toyRegistry(),
      train: data(),
      steps: 9,
      callbacks: [recorder.callback],
    });
    await resumed.run();
    for (let step = 5; step <= 9; step++) expect(recorder.losses.get(step)).toEqual(full.losses.get(step));
    expect(snapshotVariables(resumed.model)).toEqual(snapshotVariables(full.model));
    full.model.dispose();
    resumed.model.dispose();
  });

  it('refuses a training set of another size, and a budget below the checkpoint step', async () => {
    const dir = join(root, 'refuse');
    (await trainAe({ steps: 3, batchSize: 8 }, dir)).model.dispose();
    const other = new ArrayDataset('other', gaussianData(40, [0, 0], 1, 1), [2]);
    await expect(
      Trainer.resume(checkpointDirectory(dir), { registry: toyRegistry(), train: other }),
    ).rejects.toThrow(/has 40 examples, the checkpoint was trained on 52/);
    await expect(
      Trainer.resume(checkpointDirectory(dir), { registry: toyRegistry(), train: data(), steps: 2 }),
    ).rejects.toThrow(/steps: expected an integer ≥ the checkpoint's step 3/);
  });
});
