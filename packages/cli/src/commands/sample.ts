import { resolve } from 'node:path';
import { loadModel } from '@genzoo/core';
import { intFlag, numberFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { printJson } from '../output.js';
import { writeSamplePicture } from '../pictures.js';
import { checkpointDirOf, prepare } from '../setup.js';

export const sampleCommand: Command = {
  name: 'sample',
  summary: 'draw samples from a trained model into a PNG',
  usage: 'genzoo sample <dir> --out file.png [--n 64] [--seed N] [--temperature T] [--json]',
  options: {
    ...commonOptions,
    n: { type: 'string', default: '64' },
    out: { type: 'string' },
    seed: { type: 'string', default: '0' },
    temperature: { type: 'string' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    if (!values.out) throw new Error('--out file.png is required');
    await prepare(values.backend);
    const { model, manifest } = await loadModel(checkpointDirOf(positionals[0]));
    try {
      const n = intFlag('n', values.n)!;
      const numClasses = 'numClasses' in model ? (model.numClasses as number) : undefined;
      const what = writeSamplePicture(model, String(values.out), {
        n,
        seed: intFlag('seed', values.seed, { min: 0 }),
        temperature: numberFlag('temperature', values.temperature),
        numClasses,
      });
      const result = { model: manifest.model.name, out: resolve(String(values.out)), n, drawn: what };
      if (values.json) printJson(result);
      else console.log(`wrote ${result.out}: ${what}`);
    } finally {
      model.dispose();
    }
  },
};
