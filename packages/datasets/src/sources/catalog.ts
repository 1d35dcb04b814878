/**
 * Where the file-backed datasets come from: the files each needs, the folders a system package installs
 * them in, and the canonical downloads with their published checksums (MD5 is what the publishers give:
 * torchvision's `mnist.py` for the MNIST mirror, the Fashion-MNIST README, the CIFAR-10 page).
 */

export interface Checksum {
  algorithm: 'md5' | 'sha256';
  hex: string;
}

export interface RemoteFile {
  url: string;
  /** File name written into the cache folder. */
  file: string;
  checksum: Checksum;
}

export interface SourceSpec {
  /** Dataset name, also the subfolder under GENZOO_DATA_DIR and the cache. */
  id: string;
  /** Files that must all be present; idx files may also be gzipped (`name.gz`). */
  files: readonly string[];
  /** Whether `name.gz` stands in for `name`. */
  gzipVariants: boolean;
  /** Subfolders of a candidate folder that may hold the files (e.g. the archive's own folder). */
  subfolders: readonly string[];
  /** Folders system packages install the files into. */
  systemDirs: readonly string[];
  download:
    | { kind: 'files'; files: readonly RemoteFile[] }
    | {
        kind: 'tar.gz';
        archive: RemoteFile /** Archive members to extract into the cache folder. */;
        members: readonly string[];
      };
  /** A system package that provides the files, if any. */
  systemPackage?: string;
  /** Human-readable download page. */
  homepage: string;
}

const MNIST_BASE = 'https://ossci-datasets.s3.amazonaws.com/mnist';
const FASHION_BASE = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';
/** The four files of an MNIST-layout dataset, as the publishers name them. */
export const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;
export type IdxFileName = (typeof IDX_FILES)[number];

function idxDownloads(base: string, md5: Record<IdxFileName, string>): RemoteFile[] {
  return IDX_FILES.map((name) => ({
    url: `${base}/${name}.gz`,
    file: `${name}.gz`,
    checksum: { algorithm: 'md5', hex: md5[name] },
  }));
}

export const MNIST_SOURCE: SourceSpec = {
  id: 'mnist',
  files: IDX_FILES,
  gzipVariants: true,
  subfolders: ['', 'raw', 'MNIST/raw'],
  systemDirs: ['/usr/share/datasets/mnist'],
  download: {
    kind: 'files',
    files: idxDownloads(MNIST_BASE, {
      'train-images-idx3-ubyte': 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
      'train-labels-idx1-ubyte': 'd53e105ee54ea40749a09fcbcd1e9432',
      't10k-images-idx3-ubyte': '9fb629c4189551a2d022fa330f9573f3',
      't10k-labels-idx1-ubyte': 'ec29112dd5afa0611ce80d1b7f02629c',
    }),
  },
  homepage: 'http://yann.lecun.com/exdb/mnist/',
};

export const FASHION_MNIST_SOURCE: SourceSpec = {
  id: 'fashion-mnist',
  files: IDX_FILES,
  gzipVariants: true,
  subfolders: ['', 'raw', 'FashionMNIST/raw'],
  systemDirs: ['/usr/share/datasets/fashion-mnist'],
  systemPackage: 'dataset-fashion-mnist',
  download: {
    kind: 'files',
    files: idxDownloads(FASHION_BASE, {
      'train-images-idx3-ubyte': '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
      'train-labels-idx1-ubyte': '25c81989df183df01b3e8a0aad5dffbe',
      't10k-images-idx3-ubyte': 'bef4ecab320f06d8554ea6380940ec79',
      't10k-labels-idx1-ubyte': 'bb300cfdad3c16e7a12a480ee83cd310',
    }),
  },
  homepage: 'https://github.com/zalandoresearch/fashion-mnist',
};

export const CIFAR10_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
  'test_batch.bin',
] as const;

export const CIFAR10_SOURCE: SourceSpec = {
  id: 'cifar10',
  files: CIFAR10_FILES,
  gzipVariants: false,
  subfolders: ['', 'cifar-10-batches-bin'],
  systemDirs: ['/usr/share/datasets/cifar10', '/usr/share/datasets/cifar-10'],
  download: {
    kind: 'tar.gz',
    archive: {
      url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
      file: 'cifar-10-binary.tar.gz',
      checksum: { algorithm: 'md5', hex: 'c32a1d4ab5d03f1284b67883e8d87530' },
    },
    members: CIFAR10_FILES,
  },
  homepage: 'https://www.cs.toronto.edu/~kriz/cifar.html',
};
