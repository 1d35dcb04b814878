/** The PixelCNN and Gated PixelCNN models: an image network (networks/) under the raster-order model. */
import type { ModelContext } from '@genzoo/core';
import type { GatedPixelcnnConfig } from '../gated-pixelcnn/config.js';
import { buildHead } from '../heads/config.js';
import { GatedPixelCnnNetwork } from '../networks/gated-pixelcnn.js';
import { PixelCnnNetwork } from '../networks/pixelcnn.js';
import type { PixelcnnConfig } from '../pixelcnn/config.js';
import { classesOf } from './classes.js';
import { ImageAutoregressiveModel } from './image-model.js';

export function createPixelCnn(name: string, config: PixelcnnConfig, context: ModelContext) {
  return new ImageAutoregressiveModel(
    name,
    config,
    context,
    (channels) => buildHead(config.head, channels),
    (store, head) =>
      new PixelCnnNetwork(store, 'pixelcnn', head.inputChannels, head.paramsPerPosition, config),
    0,
  );
}

export function createGatedPixelCnn(name: string, config: GatedPixelcnnConfig, context: ModelContext) {
  const classes = config.conditional ? classesOf(name, context) : 0;
  return new ImageAutoregressiveModel(
    name,
    config,
    context,
    (channels) => buildHead(config.head, channels),
    (store, head, numClasses) =>
      new GatedPixelCnnNetwork(
        store,
        'gated',
        head.inputChannels,
        head.paramsPerPosition,
        config,
        numClasses,
      ),
    classes,
  );
}
