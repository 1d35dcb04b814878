export { Bernoulli } from './bernoulli.js';
export { Categorical } from './categorical.js';
export { Logistic } from './logistic.js';
export { Normal } from './normal.js';
export { sumEventDims, withoutGradient } from './util.js';
