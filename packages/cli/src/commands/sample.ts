import { resolve } from 'node:path';
import {
  ConfigError,
  checkMemoryEstimate,
  isConditionalModel,
  isMultiDomainTranslationModel,
  isTranslationModel,
  loadModel,
  ResourceError,
  SAMPLE_BYTES_LIMIT,
  tensorBytes,
} from '@genzoo/core';
import { writeMultiDomainPicture, writeSamplePicture, writeTranslationPicture } from '@genzoo/pictures/node';
import { intFlag, numberFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { printJson } from '../output.js';
import {
  checkpointOf,
  type DatasetRef,
  openDataset,
  prepare,
  runDatasetRef,
  valueRangeOf,
} from '../setup.js';

/**
 * Most samples one picture holds (a 317-column grid of digits, or a dense scatter of 2-D points): they
 * are drawn in one pass, whose activations take many times the samples' own memory.
 */
const MAX_SAMPLES = 100_000;

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'draw samples from a trained model into a PNG',
  usage:
    'genzoo sample <dir> --out file.png [--n 64] [--seed N] [--temperature T] [--class K] [--json]\n' +
    '  --class K: for class-conditional models, draw every sample from class K (default: a column per class)\n' +
    '  translation models (cyclegan) draw their first n test pairs: a, G(a), F(G(a)), b, F(b), G(F(b)) per row\n' +
    '  multi-domain translation models (stargan) draw their first n test images, each with its translation to every domain',
  options: {
    ...commonOptions,
    n: { type: 'string', default: '64' },
    out: { type: 'string' },
    seed: { type: 'string', default: '0' },
    temperature: { type: 'string' },
    class: { type: 'string' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    if (!values.out) throw new Error('--out file.png is required');
    const n = intFlag('n', values.n)!;
    if (n > MAX_SAMPLES) {
      throw new ResourceError(
        `--n ${n}: sample draws at most ${MAX_SAMPLES.toLocaleString('en-US')} samples into one picture`,
      );
    }
    await prepare(values.backend);
    const { model, manifest } = await loadModel(checkpointOf(positionals[0]));
    try {
      // The float32 samples and the picture, whose RGBA pixels take at most as much again.
      checkMemoryEstimate(
        `--n ${n}: the samples of shape [${model.eventShape.join(', ')}] and their picture would take`,
        2 * n * tensorBytes(model.eventShape),
        SAMPLE_BYTES_LIMIT,
        'draw fewer samples',
      );
      const numClasses = isConditionalModel(model) ? model.numClasses : undefined;
      const label = intFlag('class', values.class, { min: 0 });
      if (label !== undefined && numClasses === undefined)
        throw new ConfigError(`--class: model "${manifest.model.name}" is not class-conditional`);
      if (label !== undefined && label >= numClasses!)
        throw new ConfigError(`--class must be below ${numClasses} (the model's classes), got ${label}`);
      const range = valueRangeOf((manifest.run as { dataset?: DatasetRef } | undefined)?.dataset?.options);
      // A translation model has no noise to sample: it translates the run's first n test pairs (or images).
      const what = isTranslationModel(model)
        ? writeTranslationPicture(model, String(values.out), {
            pairs: (await openDataset(runDatasetRef(manifest.run, undefined))).test,
            count: n,
            range,
          })
        : isMultiDomainTranslationModel(model)
          ? writeMultiDomainPicture(model, String(values.out), {
              data: (await openDataset(runDatasetRef(manifest.run, undefined))).test,
              count: n,
              range,
            })
          : writeSamplePicture(model, String(values.out), {
              n,
              seed: intFlag('seed', values.seed, { min: 0 }),
              temperature: numberFlag('temperature', values.temperature),
              numClasses,
              label,
              range,
            });
      const result = {
        model: manifest.model.name,
        out: resolve(String(values.out)),
        n,
        ...(label !== undefined ? { class: label } : {}),
        drawn: what,
      };
      if (values.json) printJson(result);
      else console.log(`wrote ${result.out}: ${what}`);
    } finally {
      model.dispose();
    }
  },
};
