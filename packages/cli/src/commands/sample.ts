import { resolve } from 'node:path';
import {
  ConfigError,
  checkMemoryEstimate,
  imageShapeOf,
  isConditionalModel,
  isMultiDomainTranslationModel,
  isTranslationModel,
  loadModel,
  ResourceError,
  SAMPLE_BYTES_LIMIT,
  tensorBytes,
} from '@genzoo/core';
import {
  writeMultiDomainPicture,
  writeSamplePicture,
  writeTemperaturesPicture,
  writeTranslationPicture,
} from '@genzoo/pictures/node';
import { intFlag, numberFlag, numberListFlag } from '../args.js';
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
    'genzoo sample <dir> --out file.png [--n 64] [--seed N] [--temperature T | --temperatures T1,T2,…] [--class K] [--json]\n' +
    '  --temperatures 1,0.8,0.6: image models draw a labelled row of n samples (default 8) per temperature, all from the same seed\n' +
    '  --class K: for class-conditional models, draw every sample from class K (default: a column per class)\n' +
    '  translation models (cyclegan) draw their first n test pairs: a, G(a), F(G(a)), b, F(b), G(F(b)) per row\n' +
    '  multi-domain translation models (stargan) draw their first n test images, each with its translation to every domain',
  options: {
    ...commonOptions,
    n: { type: 'string' },
    out: { type: 'string' },
    seed: { type: 'string', default: '0' },
    temperature: { type: 'string' },
    temperatures: { type: 'string' },
    class: { type: 'string' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    if (!values.out) throw new Error('--out file.png is required');
    const temperatures = numberListFlag('temperatures', values.temperatures);
    if (temperatures && values.temperature !== undefined)
      throw new ConfigError('--temperature and --temperatures: give one or the other');
    // With --temperatures, n is the samples of each row.
    const n = intFlag('n', values.n) ?? (temperatures ? 8 : 64);
    const drawn = n * (temperatures?.length ?? 1);
    const asked = temperatures ? `--n ${n} at ${temperatures.length} temperatures` : `--n ${n}`;
    if (drawn > MAX_SAMPLES) {
      throw new ResourceError(
        `${asked}: sample draws at most ${MAX_SAMPLES.toLocaleString('en-US')} samples into one picture`,
      );
    }
    await prepare(values.backend);
    const { model, manifest } = await loadModel(checkpointOf(positionals[0]));
    try {
      // The float32 samples and the picture, whose RGBA pixels take at most as much again.
      checkMemoryEstimate(
        `${asked}: the samples of shape [${model.eventShape.join(', ')}] and their picture would take`,
        2 * drawn * tensorBytes(model.eventShape),
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
      if (temperatures) {
        if (isTranslationModel(model) || isMultiDomainTranslationModel(model))
          throw new ConfigError(
            `--temperatures: model "${manifest.model.name}" translates examples, it has no noise to sample`,
          );
        if (!imageShapeOf(model.eventShape))
          throw new ConfigError(
            `--temperatures: draws rows of images; model "${manifest.model.name}" samples shape [${model.eventShape.join(', ')}]`,
          );
      }
      // A translation model has no noise to sample: it translates the run's first n test pairs (or images).
      const what = isTranslationModel(model)
        ? writeTranslationPicture(model, String(values.out), {
            pairs: (await openDataset(runDatasetRef(manifest.run, undefined))).test,
            count: n,
            range,
          })
        : temperatures
          ? writeTemperaturesPicture(model, String(values.out), {
              temperatures,
              n,
              seed: intFlag('seed', values.seed, { min: 0 }),
              numClasses,
              label,
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
        ...(temperatures ? { temperatures } : {}),
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
