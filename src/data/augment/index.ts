// data/augment: seeded data augmentation for images, tabular data and text.
export {
  type Factor,
  type FlipMode,
  randomBrightness,
  randomContrast,
  randomCrop,
  randomFlip,
  randomRotation,
  randomTranslation,
  randomZoom,
  type ValueRangeOptions,
} from "./image.js";
export {
  type FillMode,
  type Interpolation,
  type ResampleOptions,
  resampleImages,
} from "./image-transform.js";
export { gaussianNoise } from "./noise.js";
export { type SamplingStrategy, type SmoteOptions, type SmoteResult, smote } from "./smote.js";
export { randomDeletion, randomSwap } from "./text.js";
