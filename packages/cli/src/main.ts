/** `genzoo <command> [args]`: looks the command up in a table and runs it. */
import { ConfigError } from '@genzoo/core';
import { parseCommandArgs } from './args.js';
import type { Command } from './command.js';
import { backendCommand } from './commands/backend.js';
import { completeCommand } from './commands/complete.js';
import { datasetsCommand } from './commands/datasets.js';
import { evalCommand } from './commands/eval.js';
import { exploreCommand } from './commands/explore.js';
import { listCommand } from './commands/list.js';
import { resumeCommand } from './commands/resume.js';
import { sampleCommand } from './commands/sample.js';
import { scoreCommand } from './commands/score.js';
import { trainCommand } from './commands/train.js';
import { VERSION } from './version.js';

export const commands: Command[] = [
  backendCommand,
  listCommand,
  datasetsCommand,
  trainCommand,
  sampleCommand,
  completeCommand,
  evalCommand,
  scoreCommand,
  exploreCommand,
  resumeCommand,
];

export function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `genzoo ${VERSION} — deep generative models on TensorFlow.js`,
    '',
    'usage: genzoo <command> [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --backend <tensorflow-gpu|tensorflow|webgpu|wasm|cpu> (or GENZOO_BACKEND) and --help.',
    'Run `genzoo <command> --help` for its options.',
  ].join('\n');
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  if (name === '--version' || name === '-v') {
    console.log(VERSION);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    console.error(`genzoo: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`${command.summary}\n\nusage: ${command.usage}`);
    return 0;
  }
  try {
    await command.run(parseCommandArgs(rest, command.options, command.positionals));
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`genzoo ${name}: ${message}`);
    if (error instanceof ConfigError) {
      console.error(`usage: ${command.usage}`);
    } else if (process.env.GENZOO_DEBUG && error instanceof Error) {
      console.error(error.stack);
    }
    return 1;
  }
}
