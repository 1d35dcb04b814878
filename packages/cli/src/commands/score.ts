import { checkMemoryEstimate, loadModel, SAMPLE_BYTES_LIMIT, tensorBytes } from '@genzoo/core';
import { checkScoreCount, scoreSamples } from '@genzoo/evaluation/node';
import { intFlag } from '../args.js';
import { type Command, commonOptions } from '../command.js';
import { formatCell, printJson } from '../output.js';
import { checkpointOf, openDataset, prepare, runDatasetRef } from '../setup.js';

/** Samples scored by default: the usual 10,000 of FID, or the whole test split when it is smaller. */
const DEFAULT_N = 10_000;

export const scoreCommand: Command = {
  name: 'score',
  summary:
    'sample-quality metrics of a trained model (classifier_fd, classifier_kid, classifier_score, precision/recall; CAS for conditional models)',
  usage:
    'genzoo score <dir> [--dataset <name>] [--n 10000] [--seed N] [--classifier-epochs N] [--json]\n' +
    "  n samples against the first n test images, through the dataset's reference classifier\n" +
    '  (trained on first use and cached in $GENZOO_CACHE_DIR or ~/.cache/genzoo/classifiers)',
  options: {
    ...commonOptions,
    dataset: { type: 'string' },
    n: { type: 'string' },
    seed: { type: 'string', default: '0' },
    'classifier-epochs': { type: 'string' },
  },
  positionals: 1,
  async run({ positionals, values }) {
    const n = intFlag('n', values.n);
    if (n !== undefined) checkScoreCount(n);
    const seed = intFlag('seed', values.seed, { min: 0 })!;
    const classifierEpochs = intFlag('classifier-epochs', values['classifier-epochs']);
    await prepare(values.backend, { quiet: Boolean(values.json) });
    const { model, manifest } = await loadModel(checkpointOf(positionals[0]));
    try {
      const ref = runDatasetRef(manifest.run, values.dataset as string | undefined);
      const { name } = ref;
      const data = await openDataset(ref);
      const count = n ?? Math.min(DEFAULT_N, data.test.size);
      checkMemoryEstimate(
        `--n ${count}: the samples of shape [${model.eventShape.join(', ')}] would take`,
        count * tensorBytes(model.eventShape),
        SAMPLE_BYTES_LIMIT,
        'score fewer samples',
      );
      const { metrics, classifier } = await scoreSamples({
        model,
        modelName: manifest.model.name,
        datasetName: name,
        data,
        n: count,
        seed,
        classifierEpochs,
        quiet: Boolean(values.json) || !process.stderr.isTTY,
      });
      const result = { model: manifest.model.name, dataset: name, ...metrics, classifier };
      if (values.json) return printJson(result);
      console.log(
        `${result.model} on ${name}: ${metrics.n} samples against the first ${metrics.n} test images`,
      );
      for (const [k, v] of Object.entries(metrics))
        if (k !== 'n') console.log(`  ${k.padEnd(21)} ${formatCell(v)}`);
      if (classifier) {
        console.log(
          `  reference classifier: test accuracy ${formatCell(classifier.accuracy)}, ${classifier.trained ? 'trained now, ' : ''}cached in ${classifier.path}`,
        );
      }
    } finally {
      model.dispose();
    }
  },
};
