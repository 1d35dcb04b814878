import { createModel, initBackend, registerPlugin, tf } from '@genzoo/core';
import { flowsPlugin } from '@genzoo/flows';

await initBackend({ force: 'wasm', quiet: true });
registerPlugin(flowsPlugin);
const cfg = JSON.parse(process.argv[2]);
const name = process.argv[3] ?? 'glow';
const model = createModel(name, cfg, { eventShape: [28, 28, 1], seed: 0 });
const x = tf.randomUniform([64, 28, 28, 1]);
model.initialize(x);
const vars = model.trainingPlan().players[0].variables();
const f = () => tf.tidy(() => tf.neg(tf.mean(model.logProb(x))));
for (let i = 0; i < 2; i++) tf.tidy(() => tf.variableGrads(f, vars));
let t = performance.now();
for (let i = 0; i < 3; i++) tf.tidy(() => f().dataSync());
console.log('forward ms', (performance.now() - t) / 3);
t = performance.now();
for (let i = 0; i < 3; i++)
  tf.tidy(() => {
    const g = tf.variableGrads(f, vars);
    g.value.dataSync();
  });
console.log('fwd+bwd ms', (performance.now() - t) / 3);
const prof = await tf.profile(() =>
  tf.tidy(() => {
    const g = tf.variableGrads(f, vars);
    g.value.dataSync();
  }),
);
const byName = {};
for (const k of prof.kernels) {
  byName[k.name] = (byName[k.name] ?? 0) + k.kernelTimeMs;
}
console.log(
  Object.entries(byName)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join('\n'),
);
