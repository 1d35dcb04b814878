import { listDatasets } from '@genzoo/datasets/node';
import { type Command, commonOptions } from '../command.js';
import { formatTable, printJson } from '../output.js';

export const datasetsCommand: Command = {
  name: 'datasets',
  summary: 'list known datasets, where each was found or how to get it',
  usage: 'genzoo datasets [--json]',
  options: { ...commonOptions },
  positionals: 0,
  async run({ values }) {
    const datasets = await listDatasets();
    if (values.json) return printJson(datasets);
    const rows = datasets.map((d) => ({
      name: d.name,
      shape: d.eventShape,
      classes: d.numClasses,
      status: d.source.found ? `found: ${d.source.where}` : 'missing (how to get it: below)',
      description: d.description,
    }));
    console.log(formatTable(rows, ['name', 'shape', 'classes', 'status', 'description']));
    for (const d of datasets.filter((d) => !d.source.found)) console.log(`\n${d.name}: ${d.source.howToGet}`);
  },
};
