import type { OptionSpec, ParsedArgs } from './args.js';

/** A CLI command is data: its name, usage, options and an async run. `main` looks commands up by name. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec;
  positionals: number;
  run(args: ParsedArgs): Promise<void>;
}

/** Options every command accepts. */
export const commonOptions = {
  backend: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies OptionSpec;
