// examples/digits-gan/gan: a DCGAN that learns to draw 8x8 handwritten digits (datasets/digits.csv,
// 1,797 images), trained with fit through a trainStep override (Keras train_step): the compiled
// optimizer updates the discriminator, a second Adam the generator, and fit keeps its progress line,
// callbacks and History around the custom step. The samples are judged by a digit classifier
// trained on the real images (logistic regression): an "inception score" exp E[KL(p(y|x) || p(y))]
// (10 = ten equally used, confidently recognised classes; 1 = nothing recognisable) and the share of
// samples it recognises with probability > 0.9. A grid of samples is written as a PNG. Run from the
// repository root:   npx tsx --conditions=tessera-source examples/digits-gan/gan.ts
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as zlib from "node:zlib";
import * as ts from "tessera-ml";
import { loadDigits } from "../digits-cnn/train.js";

export const LATENT = 16;
const bce = ts.losses.binaryCrossentropy({ fromLogits: true });

/** noise (B, LATENT) -> dense 4x4x64 -> transposed conv to 8x8x32 -> conv to 8x8x1 in [-1, 1]. */
export function makeGenerator(): ts.Sequential {
  return ts.sequential([
    ts.layers.dense({ units: 4 * 4 * 64, activation: "relu", inputShape: [LATENT] }),
    ts.layers.reshape({ targetShape: [4, 4, 64] }),
    ts.layers.conv2dTranspose({
      filters: 32,
      kernelSize: 4,
      strides: 2,
      padding: "same",
      activation: "relu",
    }),
    ts.layers.conv2d({ filters: 1, kernelSize: 3, padding: "same", activation: "tanh" }),
  ]);
}

/** image (B, 8, 8, 1) -> two strided convolutions -> one logit (real vs generated). */
export function makeDiscriminator(): ts.Sequential {
  return ts.sequential([
    ts.layers.conv2d({
      filters: 32,
      kernelSize: 3,
      strides: 2,
      padding: "same",
      activation: "leaky_relu",
      inputShape: [8, 8, 1],
    }),
    ts.layers.conv2d({ filters: 64, kernelSize: 3, strides: 2, padding: "same", activation: "leaky_relu" }),
    ts.layers.flatten(),
    ts.layers.dense({ units: 1 }),
  ]);
}

/** The generator and the discriminator in one model, with the adversarial step as its trainStep. */
export class DigitsGan extends ts.Model {
  readonly generator = this.track(makeGenerator());
  readonly discriminator = this.track(makeDiscriminator());
  readonly generatorOptimizer = ts.optimizers.adam({ learningRate: 2e-3, beta1: 0.5 });
  readonly dLoss = ts.metrics.mean({ name: "d_loss" });
  readonly gLoss = ts.metrics.mean({ name: "g_loss" });

  /** Applied to noise, the model draws images. */
  override call(inputs: ts.LayerInputs, context: ts.CallContext): ts.Tensor {
    return this.generator.apply(this.single(inputs), context);
  }

  override resetMetrics(): void {
    super.resetMetrics();
    this.dLoss.reset();
    this.gLoss.reset();
  }

  override trainStep(batch: ts.StepBatch): ts.StepLogs {
    const real = batch.x[0]!; // (B, 8, 8, 1) in [-1, 1]
    const size = real.shape[0]!;
    const training = { training: true };
    // Discriminator: real -> 1 (smoothed to 0.9), generated -> 0; the generator stays as it is.
    const fake = ts.noGrad(() => this.generator.apply(ts.randn([size, LATENT]), training));
    const dParams = this.discriminator.trainableWeights;
    const dOptimizer = this.optimizer!;
    dOptimizer.attach(dParams);
    const dLoss = ts
      .computeLoss(bce, ts.full([size, 1], 0.9), this.discriminator.apply(real, training))
      .add(ts.computeLoss(bce, ts.zeros([size, 1]), this.discriminator.apply(fake, training)));
    dLoss.backward();
    dOptimizer.step();
    dOptimizer.zeroGrad();
    // Generator: make the discriminator call its images real.
    this.generatorOptimizer.attach(this.generator.trainableWeights);
    const generated = this.generator.apply(ts.randn([size, LATENT]), training);
    const gLoss = ts.computeLoss(bce, ts.ones([size, 1]), this.discriminator.apply(generated, training));
    gLoss.backward();
    this.generatorOptimizer.step();
    this.generatorOptimizer.zeroGrad();
    for (const p of dParams) p.grad = null; // the generator's loss reached them too
    this.dLoss.update(dLoss.item(), size);
    this.gLoss.update(gLoss.item(), size);
    return { d_loss: this.dLoss.result(), g_loss: this.gLoss.result() };
  }

  /** `count` images (count, 8, 8, 1) in [0, 1]. */
  sample(count: number): ts.Tensor {
    const images = ts.noGrad(() => this.generator.apply(ts.randn([count, LATENT]), { training: false }));
    return ts.div(ts.add(images, 1), 2);
  }
}

export interface SampleQuality {
  inceptionScore: number;
  /** Share of images the classifier gives one class with probability > 0.9. */
  recognised: number;
  /** How many of the 10 digits are the most likely class of at least 2 % of the images. */
  classesUsed: number;
}

/** The classifier's view of a set of (n, 8, 8, 1) images in [0, 1]. */
export function sampleQuality(classifier: ts.ml.LogisticRegression, images: ts.Tensor): SampleQuality {
  const n = images.shape[0]!;
  const p = classifier.predictProba(ts.reshape(images, [n, 64])).data;
  const k = p.length / n;
  const marginal = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) marginal[c]! += p[i * k + c]! / n;
  let kl = 0;
  let recognised = 0;
  const top = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      const q = p[i * k + c]!;
      if (q > 0) kl += (q * Math.log(q / marginal[c]!)) / n;
      if (q > p[i * k + best]!) best = c;
    }
    if (p[i * k + best]! > 0.9) recognised++;
    top[best]!++;
  }
  return {
    inceptionScore: Math.exp(kl),
    recognised: recognised / n,
    classesUsed: top.filter((count) => count >= 0.02 * n).length,
  };
}

/** A logistic regression on the real images' 64 pixels (in [0, 1]). */
export function digitClassifier(x: ts.Tensor, y: ts.Tensor): ts.ml.LogisticRegression {
  return new ts.ml.LogisticRegression({ maxIter: 200 }).fit(ts.reshape(x, [x.shape[0]!, 64]), y);
}

/** A grayscale PNG of `rows` x `cols` images (n, 8, 8, 1) in [0, 1], each pixel drawn `scale` times. */
export function imageGridPng(images: ts.Tensor, rows: number, cols: number, scale = 4): Buffer {
  const gap = 4;
  const cell = 8 * scale + gap;
  const width = cols * cell + gap;
  const height = rows * cell + gap;
  const raw = Buffer.alloc((width + 1) * height, 255); // each row: filter byte 0, then pixels
  for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0;
  const data = images.data;
  for (let g = 0; g < Math.min(rows * cols, images.shape[0]!); g++) {
    const [gy, gx] = [Math.floor(g / cols), g % cols];
    for (let py = 0; py < 8 * scale; py++) {
      for (let px = 0; px < 8 * scale; px++) {
        const v = data[g * 64 + Math.floor(py / scale) * 8 + Math.floor(px / scale)]!;
        // dark ink on white, as the digits are written
        const y = gap + gy * cell + py;
        const x = gap + gx * cell + px;
        raw[y * (width + 1) + 1 + x] = Math.round(255 * (1 - Math.min(1, Math.max(0, v))));
      }
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(body.length, 0);
    head.write(type, 4, "ascii");
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])), 0);
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(0, 9); // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", zlib.deflateSync(raw)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

export interface GanRun {
  gan: DigitsGan;
  history: ts.History;
  before: SampleQuality;
  after: SampleQuality;
  real: SampleQuality;
  fitSeconds: number;
}

/** Trains the GAN on the first `rows` images (all by default) and judges 500 samples before and after. */
export async function trainGan(
  x: ts.Tensor,
  y: ts.Tensor,
  options: { epochs?: number; rows?: number; seed?: number; verbose?: 0 | 1 | 2 } = {},
): Promise<GanRun> {
  ts.seed(options.seed ?? 42);
  const classifier = digitClassifier(x, y);
  const rows = Math.min(options.rows ?? x.shape[0]!, x.shape[0]!);
  const first = ts.tensor(Float32Array.from(x.data.subarray(0, rows * 64)), { shape: [rows, 8, 8, 1] });
  const images = ts.sub(ts.mul(first, 2), 1); // [-1, 1]
  const gan = new DigitsGan();
  gan.compile({
    optimizer: ts.optimizers.adam({ learningRate: 2e-3, beta1: 0.5 }),
    loss: "binary_crossentropy",
  });
  const before = sampleQuality(classifier, gan.sample(500));
  const started = performance.now();
  const history = await gan.fit(images, images, {
    epochs: options.epochs ?? 60,
    batchSize: 64,
    shuffle: true,
    verbose: options.verbose ?? 0,
  });
  const fitSeconds = (performance.now() - started) / 1000;
  const after = sampleQuality(classifier, gan.sample(500));
  const real = sampleQuality(classifier, x);
  return { gan, history, before, after, real, fitSeconds };
}

async function main(): Promise<void> {
  const here = dirname(fileURLToPath(import.meta.url));
  const started = performance.now();
  const { x, y } = await loadDigits(join(here, "..", "..", "datasets", "digits.csv"));
  const run = await trainGan(x, y, { verbose: 2 });
  const d = run.history.history.d_loss ?? [];
  const g = run.history.history.g_loss ?? [];
  console.log(`backend ${ts.getBackend()}; ${x.shape[0]} real images`);
  console.log(
    `losses, epoch 1 -> ${d.length}: d ${d[0]?.toFixed(4)} -> ${d.at(-1)?.toFixed(4)}, g ${g[0]?.toFixed(4)} -> ${g.at(-1)?.toFixed(4)}`,
  );
  console.log("judged by a logistic regression trained on the real digits (500 samples each):");
  for (const [name, q] of [
    ["untrained generator", run.before],
    ["trained generator", run.after],
    ["real digits (all 1,797)", run.real],
  ] as const) {
    console.log(
      `  ${name.padEnd(24)} inception score ${q.inceptionScore.toFixed(2)}, recognised ${(100 * q.recognised).toFixed(1)} %, classes used ${q.classesUsed}`,
    );
  }
  const outDir = join("runs", "digits-gan");
  await mkdir(outDir, { recursive: true });
  ts.seed(7);
  const grid = join(outDir, "samples.png");
  await writeFile(grid, imageGridPng(run.gan.sample(100), 10, 10));
  console.log(
    `samples in ${grid}; training ${run.fitSeconds.toFixed(1)} s; whole script ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main();
