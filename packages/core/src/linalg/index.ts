/** Dense float64 linear algebra on the host, for the small matrices that float32 tensors get wrong. */
export { type SymmetricEigen, symmetricEigen } from './symmetric-eigen.js';
