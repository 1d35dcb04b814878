// The folder of genzoo tensors that genzoo_weights.py reads (read_tensors): manifest.json, the caller's
// fields plus {"tensors": [{"name", "shape", "offset"}]}, and tensors.bin, each tensor's values as float32
// little-endian at byte `offset`. The equivalence test and the twin runner write genzoo's variables (and
// more) through it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class TensorFolder {
  #tensors = [];
  #chunks = [];
  #offset = 0;

  /** Adds tensor `t` (any dtype, stored as float32) under `name`. */
  put(name, t) {
    const bytes = Buffer.from(Float32Array.from(t.dataSync()).buffer);
    this.#tensors.push({ name, shape: t.shape, offset: this.#offset });
    this.#chunks.push(bytes);
    this.#offset += bytes.length;
  }

  /** Writes manifest.json (`manifest`'s fields and the tensors) and tensors.bin into `folder`. */
  write(folder, manifest = {}) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'manifest.json'), JSON.stringify({ ...manifest, tensors: this.#tensors }));
    writeFileSync(join(folder, 'tensors.bin'), Buffer.concat(this.#chunks));
  }
}
