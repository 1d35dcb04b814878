import { defaultRegistry } from '@genzoo/core';
import { type Command, commonOptions } from '../command.js';
import { formatTable, printJson } from '../output.js';
import { loadPlugins } from '../plugins.js';

export const listCommand: Command = {
  name: 'list',
  summary: 'list the registered models',
  usage: 'genzoo list [--json]',
  options: { ...commonOptions },
  positionals: 0,
  async run({ values }) {
    await loadPlugins();
    const models = defaultRegistry.listModels();
    if (values.json) return printJson(models);
    console.log(formatTable(models, ['name', 'family', 'package', 'version', 'likelihood', 'description']));
  },
};
