import { formatAdapter } from '@genzoo/backends';
import { type Command, commonOptions } from '../command.js';
import { printJson } from '../output.js';
import { prepare } from '../setup.js';

export const backendCommand: Command = {
  name: 'backend',
  summary: 'show the chosen tfjs backend, SIMD, threads, and why others were skipped',
  usage: 'genzoo backend [--backend name] [--json]',
  options: { ...commonOptions },
  positionals: 0,
  async run({ values }) {
    const info = await prepare(values.backend, { quiet: true });
    if (values.json) return printJson(info);
    console.log(`backend: ${info.name} (${info.package})`);
    console.log(`simd: ${info.simd ? 'yes' : 'no'}   threads: ${info.threads ? 'yes' : 'no'}`);
    if (info.adapter) console.log(`adapter: ${formatAdapter(info.adapter)}`);
    if (info.kernelPack.length > 0) console.log(`genzoo wasm kernels: ${info.kernelPack.join(', ')}`);
    for (const skipped of info.skipped) console.log(`skipped ${skipped.name}: ${skipped.reason}`);
  },
};
