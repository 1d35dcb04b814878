import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '../src/checkpoint/binary.js';
import { loadCheckpoint, loadModel, readManifest, restoreVariables } from '../src/checkpoint/load.js';
import { CHECKPOINT_FORMAT, type CheckpointManifest } from '../src/checkpoint/manifest.js';
import { type CheckpointContents, saveCheckpoint } from '../src/checkpoint/save.js';
import { CheckpointError } from '../src/errors.js';
import { checkpointDirectory, previousPath, replaceDirectory } from '../src/node/checkpoint-directory.js';
import { PluginRegistry } from '../src/registry/registry.js';
import { trainConfigSchema } from '../src/training/config.js';
import { Trainer } from '../src/training/trainer.js';
import {
  ArrayDataset,
  checkpointContents,
  gaussianData,
  snapshotVariables,
  ToyAutoencoder,
  toyAeConfigSchema,
  toyRef,
  toyRegistry,
  useCpu,
} from './trainer-fixtures.js';

const root = mkdtempSync(join(tmpdir(), 'genzoo-checkpoint-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const blob = () => new ArrayDataset('blob', gaussianData(64, [1, -2], 0.5, 7), [2]);

/** The pid of a process that has exited: what a writer killed mid-save leaves in its folder names. */
const deadPid = () => spawnSync('true').pid as number;

/** Temporary save folders of `dir` left in its parent. */
const savesLeftBeside = (dir: string) =>
  readdirSync(dirname(dir)).filter((name) => name.startsWith(`${basename(dir)}.saving-`));

/** Trains the toy autoencoder a few steps into `dir` and returns the (still live) model. */
async function trained(dir: string, hidden = 8) {
  const model = new ToyAutoencoder(toyAeConfigSchema.parse({ hidden }), { eventShape: [2], seed: 3 });
  await new Trainer({
    model,
    modelRef: toyRef('toy-ae'),
    train: blob(),
    config: trainConfigSchema.parse({ steps: 5, batchSize: 8, seed: 4 }),
    checkpoints: checkpointDirectory(dir),
    runInfo: { dataset: { name: 'blob', options: { noise: 0 } } },
  }).run();
  return model;
}

function minimalContents(step: number, first = 0.5): CheckpointContents {
  return checkpointContents(step, [first, 1.5, -2, 1e-30]);
}

describe('checkpoints', () => {
  it('round-trip a trained model: same variables, same samples, complete manifest', async () => {
    const dir = join(root, 'round-trip');
    const model = await trained(dir);
    const { model: loaded, manifest } = await loadModel(checkpointDirectory(dir), {
      registry: toyRegistry(),
    });
    expect(snapshotVariables(loaded)).toEqual(snapshotVariables(model));
    const a = model.sample(16, { seed: 5 });
    const b = loaded.sample(16, { seed: 5 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);

    expect(manifest.format).toBe(CHECKPOINT_FORMAT);
    expect(manifest.model).toEqual({
      name: 'toy-ae',
      plugin: '@genzoo/toy',
      pluginVersion: '1.0.0',
      config: { hidden: 8, latent: 2, noise: 0.1, nanMetric: false },
      eventShape: [2],
      seed: 4,
    });
    expect(manifest.state).toMatchObject({
      step: 5,
      epoch: 0,
      batchInEpoch: 5,
      batchIndex: 5,
      trainExamples: 64,
    });
    expect(manifest.run).toEqual({ dataset: { name: 'blob', options: { noise: 0 } } });
    expect(manifest.weights.tensors.map((t) => t.name)).toEqual(Object.keys(model.variables()));
    expect(manifest.optimizer.players.map((p) => [p.player, p.config.name, p.iterations])).toEqual([
      ['ae', 'adam', 5],
    ]);
    expect(manifest.optimizer.players[0].tensors.map((t) => t.name)).toContain('m:encoder/dense0/kernel');
    expect(readdirSync(dir).sort()).toEqual(['manifest.json', 'optimizer.bin', 'weights.bin']);
    expect(savesLeftBeside(dir)).toEqual([]);
    expect(existsSync(previousPath(dir))).toBe(false);
    model.dispose();
    loaded.dispose();
  });

  it('stores float32 and int32 tensors bit-exactly, with CRC-32 checksums', async () => {
    const dir = join(root, 'exact');
    await saveCheckpoint(checkpointDirectory(dir), minimalContents(1, 0.1));
    const loaded = await loadCheckpoint(checkpointDirectory(dir));
    expect(loaded.weights.a.values).toEqual(Float32Array.of(0.1, 1.5, -2, 1e-30));
    expect(loaded.weights.n).toEqual({ shape: [], dtype: 'int32', values: Int32Array.of(-7) });
    expect(loaded.optimizer[0].tensors['momentum:a'].values).toEqual(Float32Array.of(1, 2, 3, 4));
    expect(loaded.optimizer[0].iterations).toBe(3);
    expect(loaded.manifest.weights.crc32).toBe(crc32(readFileSync(join(dir, 'weights.bin'))));
    // The standard check value of CRC-32/IEEE.
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('refuses to write an invalid manifest', async () => {
    const contents = minimalContents(1);
    contents.state.step = 0.5;
    await expect(saveCheckpoint(checkpointDirectory(join(root, 'invalid')), contents)).rejects.toThrow(
      /cannot write .*invalid: state\.step/,
    );
    expect(existsSync(join(root, 'invalid'))).toBe(false);
  });

  describe('report damaged checkpoints clearly', () => {
    const fresh = async (name: string) => {
      const dir = join(root, name);
      await saveCheckpoint(checkpointDirectory(dir), minimalContents(1));
      return dir;
    };

    it('no checkpoint at all', async () => {
      await expect(loadCheckpoint(checkpointDirectory(join(root, 'nothing')))).rejects.toThrow(
        /no checkpoint at .*nothing: .*manifest\.json does not exist/,
      );
    });

    it('missing weights file', async () => {
      const dir = await fresh('missing');
      rmSync(join(dir, 'weights.bin'));
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(CheckpointError);
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(/weights\.bin is missing/);
    });

    it('truncated weights', async () => {
      const dir = await fresh('truncated');
      truncateSync(join(dir, 'weights.bin'), 10);
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /weights\.bin is truncated: 10 of 20 bytes/,
      );
    });

    it('flipped bytes', async () => {
      const dir = await fresh('corrupt');
      const bytes = readFileSync(join(dir, 'optimizer.bin'));
      bytes[3] ^= 0xff;
      writeFileSync(join(dir, 'optimizer.bin'), bytes);
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /optimizer\.bin is corrupt: its CRC-32 does not match/,
      );
    });

    it('broken or foreign manifests', async () => {
      const dir = await fresh('manifest');
      const path = join(dir, 'manifest.json');
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as CheckpointManifest;
      writeFileSync(path, '{"format":');
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /manifest\.json is not valid JSON/,
      );
      writeFileSync(path, JSON.stringify({ ...manifest, format: 'keras' }));
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /is not a genzoo checkpoint manifest \(format: keras\)/,
      );
      writeFileSync(path, JSON.stringify({ ...manifest, formatVersion: 99 }));
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /format version 99; this genzoo reads version 1/,
      );
      writeFileSync(path, JSON.stringify({ ...manifest, extra: 1, state: { ...manifest.state, step: -1 } }));
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /unknown key\(s\) "extra" at \(root\)/,
      );
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(/state\.step: Too small/);
      const wrongShape = structuredClone(manifest);
      wrongShape.weights.tensors[0].shape = [3, 2];
      writeFileSync(path, JSON.stringify(wrongShape));
      await expect(loadCheckpoint(checkpointDirectory(dir))).rejects.toThrow(
        /"a" of shape \[3, 2\] should take 24 bytes, the manifest says 16/,
      );
    });

    it('a model that does not match: shape, missing and extra variables', async () => {
      const dir = join(root, 'mismatch');
      (await trained(dir, 8)).dispose();
      const { weights } = await loadCheckpoint(checkpointDirectory(dir));
      const other = new ToyAutoencoder(toyAeConfigSchema.parse({ hidden: 4 }), { eventShape: [2], seed: 0 });
      expect(() => restoreVariables(other.variables(), weights, dir)).toThrow(
        /variable "encoder\/dense0\/kernel" has shape \[2, 8\], the model's has \[2, 4\]/,
      );
      const { 'decoder/offset': _, ...fewer } = weights;
      expect(() => restoreVariables(other.variables(), fewer)).toThrow(
        /lacks the model variable\(s\) decoder\/offset/,
      );
      expect(() =>
        restoreVariables(other.variables(), { ...weights, stray: weights['decoder/offset'] }),
      ).toThrow(/holds variable\(s\) the model does not have: stray/);
      other.dispose();
    });

    it('an unregistered model fails; another plugin version only warns', async () => {
      const dir = join(root, 'registry');
      (await trained(dir)).dispose();
      await expect(loadModel(checkpointDirectory(dir), { registry: new PluginRegistry() })).rejects.toThrow(
        /model "toy-ae" \(plugin @genzoo\/toy@1\.0\.0\) is not registered/,
      );
      const warnings: string[] = [];
      const { model } = await loadModel(checkpointDirectory(dir), {
        registry: toyRegistry('2.0.0'),
        onWarning: (w) => warnings.push(w),
      });
      expect(warnings).toEqual([
        'model "toy-ae" was saved with @genzoo/toy@1.0.0; loading it with version 2.0.0',
      ]);
      model.dispose();
    });
  });

  describe('survive a crash at any point of a save', () => {
    const writeOld = async (name: string) => {
      const dir = join(root, name);
      await saveCheckpoint(checkpointDirectory(dir), minimalContents(1));
      return dir;
    };
    const stepOf = async (dir: string) => (await readManifest(checkpointDirectory(dir))).state.step;

    it('while writing the new checkpoint: the old one stays, the leftover is cleared by the next save', async () => {
      const dir = await writeOld('crash-writing');
      // What a writer killed mid-save leaves: its own temporary folder, partly written.
      const abandoned = `${dir}.saving-${deadPid()}-k1ll3d`;
      mkdirSync(abandoned);
      writeFileSync(join(abandoned, 'weights.bin'), 'partial');
      // A save by a process that still runs is another writer's work in progress: never touched.
      const live = `${dir}.saving-${process.ppid}-l1v3`;
      mkdirSync(live);
      expect(await stepOf(dir)).toBe(1);
      expect((await loadCheckpoint(checkpointDirectory(dir))).warnings).toEqual([]);
      await saveCheckpoint(checkpointDirectory(dir), minimalContents(2));
      expect(await stepOf(dir)).toBe(2);
      expect(savesLeftBeside(dir)).toEqual([basename(live)]);
      rmSync(live, { recursive: true });
    });

    it('a save that throws removes its own temporary folder and keeps the old checkpoint', async () => {
      const dir = await writeOld('throw-writing');
      expect(() =>
        replaceDirectory(dir, (temp) => {
          writeFileSync(join(temp, 'weights.bin'), 'partial');
          throw new Error('disk full');
        }),
      ).toThrow('disk full');
      expect(savesLeftBeside(dir)).toEqual([]);
      expect(await stepOf(dir)).toBe(1);
    });

    it('two writers use temporary folders of their own', () => {
      const dir = join(root, 'two-writers');
      const temps: string[] = [];
      replaceDirectory(dir, (outer) => {
        temps.push(outer);
        writeFileSync(join(outer, 'manifest.json'), '{}');
        replaceDirectory(dir, (inner) => {
          temps.push(inner);
          writeFileSync(join(inner, 'manifest.json'), '{}');
        });
      });
      expect(temps[0]).not.toBe(temps[1]);
    });

    it('after setting the old one aside, before moving the new one in: the old one is read', async () => {
      const dir = await writeOld('crash-between-renames');
      await saveCheckpoint(checkpointDirectory(join(root, 'scratch')), minimalContents(2));
      renameSync(join(root, 'scratch'), `${dir}.saving-${deadPid()}-k1ll3d`);
      renameSync(dir, previousPath(dir));
      const loaded = await loadCheckpoint(checkpointDirectory(dir));
      expect(loaded.manifest.state.step).toBe(1);
      expect(loaded.location).toBe(previousPath(dir));
      expect(loaded.warnings[0]).toMatch(
        /the last save to .* was interrupted; reading the previous checkpoint/,
      );
      await saveCheckpoint(checkpointDirectory(dir), minimalContents(3));
      expect(await stepOf(dir)).toBe(3);
      expect(existsSync(previousPath(dir))).toBe(false);
      expect(savesLeftBeside(dir)).toEqual([]);
    });

    it('after moving the new one in, before deleting the old one: the new one is read', async () => {
      const dir = await writeOld('crash-before-cleanup');
      await saveCheckpoint(checkpointDirectory(join(root, 'scratch2')), minimalContents(2));
      renameSync(dir, previousPath(dir));
      renameSync(join(root, 'scratch2'), dir);
      expect(await stepOf(dir)).toBe(2);
      await saveCheckpoint(checkpointDirectory(dir), minimalContents(3));
      expect(existsSync(previousPath(dir))).toBe(false);
    });

    it('a Trainer resumes from the set-aside checkpoint', async () => {
      const dir = join(root, 'resume-previous');
      (await trained(dir)).dispose();
      renameSync(dir, previousPath(dir));
      const warnings: string[] = [];
      const trainer = await Trainer.resume(checkpointDirectory(dir), {
        registry: toyRegistry(),
        train: blob(),
        steps: 6,
        onWarning: (w) => warnings.push(w),
      });
      await trainer.run();
      trainer.model.dispose();
      expect(warnings).toHaveLength(1);
      expect(await stepOf(dir)).toBe(6);
      expect(existsSync(previousPath(dir))).toBe(false);
    });
  });
});
