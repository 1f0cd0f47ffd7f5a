// bench/gpt.bench: training throughput (tokens/s) of a tiny GPT: vocabulary 65, context 64, token +
// position embeddings, 2 pre-norm TransformerDecoder blocks (width 128, 4 heads, GELU MLP 4x), final
// LayerNorm, linear head, softmax cross-entropy, AdamW 1e-3, batch 32, float32, synthetic tokens,
// through model.fit on every Tessera backend that loaded, next to TensorFlow.js 4.22 (cpu and wasm,
// tfjs-core ops) and, with the strongest torch found (bench/peers.ts), PyTorch (nn.TransformerEncoderLayer,
// norm_first, causal mask) on 1 and 2 threads. Run alone with `npx tsx bench/gpt.bench.ts`;
// `npm run bench gpt` calls main().
// NOTE: the machine is shared and loaded; figures are noisy, compare within one run.
import { pathToFileURL } from "node:url";
import * as ts from "../src/index.js";
import {
  type BenchRow,
  errorLine,
  formatTable,
  runChildIfAsked,
  runTorch,
  stepsFor,
  targetSeconds,
  tesseraInChild,
  timeFit,
  withTfjsBundle,
} from "./common.js";
import type { GptShape, runTfjsGpt } from "./gpt-tfjs.js";

const SHAPE: GptShape = { vocab: 65, context: 64, width: 128, heads: 4, blocks: 2, batch: 32 };
const WARMUP = 2;
const TOKENS_PER_STEP = SHAPE.batch * SHAPE.context;

/** The benchmark GPT, compiled with AdamW and sparse cross-entropy on logits. */
export function gptBenchModel(): ts.Sequential {
  const { vocab, context, width, heads, blocks } = SHAPE;
  const model = ts.sequential([
    ts.input({ shape: [context], dtype: "int32" }),
    ts.layers.tokenAndPositionEmbedding({
      vocabularySize: vocab,
      sequenceLength: context,
      embeddingDim: width,
    }),
    ...Array.from({ length: blocks }, () =>
      ts.layers.transformerDecoder({
        intermediateDim: 4 * width,
        numHeads: heads,
        normalizeFirst: true,
        activation: "gelu",
      }),
    ),
    ts.layers.layerNormalization({ epsilon: 1e-5 }),
    ts.layers.dense({ units: vocab }),
  ]);
  model.compile({
    optimizer: ts.optimizers.adamw({ learningRate: 1e-3 }),
    loss: ts.losses.sparseCategoricalCrossentropy({ fromLogits: true }),
  });
  return model;
}

async function runTessera(backend: ts.BackendName, seconds: number): Promise<BenchRow> {
  ts.setBackend(backend);
  ts.seed(0);
  const model = gptBenchModel();
  const { batch, context, vocab } = SHAPE;
  const data = (n: number) => ({
    x: ts.randint(0, vocab, [batch * n, context], { dtype: "int32" }),
    y: ts.randint(0, vocab, [batch * n, context], { dtype: "int32" }),
  });
  const { steps, elapsed, loss } = await timeFit(model, data, batch, WARMUP, seconds);
  return {
    framework: "Tessera",
    backend,
    perSecond: (TOKENS_PER_STEP * steps) / elapsed,
    note: `model.fit, ${steps} steps, loss ${loss?.toFixed(3)}`,
  };
}

async function runTfjsAll(seconds: number): Promise<BenchRow[]> {
  type Runner = { runTfjsGpt: typeof runTfjsGpt };
  return withTfjsBundle<Runner, BenchRow[]>("gpt-tfjs.ts", async (tfjs, wasmDir) => {
    const rows: BenchRow[] = [];
    for (const backend of ["cpu", "wasm"] as const) {
      try {
        const probe = await tfjs.runTfjsGpt(backend, SHAPE, { iterations: 1, warmup: 1, wasmDir });
        const stepSeconds = probe.perSecond === null ? 1 : TOKENS_PER_STEP / probe.perSecond;
        const r = await tfjs.runTfjsGpt(backend, SHAPE, {
          iterations: stepsFor(stepSeconds, seconds),
          warmup: WARMUP,
          wasmDir,
        });
        rows.push({ framework: "tfjs 4.22", backend, perSecond: r.perSecond, note: r.note });
      } catch (error) {
        rows.push({ framework: "tfjs 4.22", backend, perSecond: null, note: `failed: ${errorLine(error)}` });
      }
    }
    return rows;
  });
}

const TORCH_SCRIPT = `
import json, os, sys, time
import torch
from torch import nn
torch.set_num_threads(int(os.environ["TORCH_THREADS"]))
torch.manual_seed(0)
seconds = float(sys.argv[1])
V, T, D, N, L, B = ${SHAPE.vocab}, ${SHAPE.context}, ${SHAPE.width}, ${SHAPE.heads}, ${SHAPE.blocks}, ${SHAPE.batch}
class Gpt(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(V, D)
        self.pos = nn.Parameter(torch.zeros(T, D))
        self.blocks = nn.ModuleList([nn.TransformerEncoderLayer(D, N, 4 * D, dropout=0.0, activation="gelu",
                                     batch_first=True, norm_first=True) for _ in range(L)])
        self.ln = nn.LayerNorm(D)
        self.head = nn.Linear(D, V)
        self.register_buffer("mask", torch.triu(torch.full((T, T), float("-inf")), diagonal=1))
    def forward(self, x):
        h = self.tok(x) + self.pos
        for block in self.blocks:
            h = block(h, src_mask=self.mask)
        return self.head(self.ln(h))
model = Gpt()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()
def batches(n):
    return [(torch.randint(0, V, (B, T)), torch.randint(0, V, (B, T))) for _ in range(n)]
def step(x, y):
    opt.zero_grad(set_to_none=True)
    loss = loss_fn(model(x).reshape(B * T, V), y.reshape(B * T))
    loss.backward()
    opt.step()
warm = batches(${WARMUP})
t = time.perf_counter()
for x, y in warm: step(x, y)
per = (time.perf_counter() - t) / ${WARMUP}
steps = max(3, min(2000, int(seconds / max(per, 1e-6)) + 1))
data = batches(steps)
t = time.perf_counter()
for x, y in data: step(x, y)
elapsed = time.perf_counter() - t
print(json.dumps({"per_second": B * T * steps / elapsed, "steps": steps, "version": torch.__version__}))
`;

/** Runs the benchmark on every framework and backend available, prints the table, returns the rows. */
export async function run(): Promise<BenchRow[]> {
  const seconds = targetSeconds();
  const previous = ts.getBackend();
  const rows: BenchRow[] = [];
  const { vocab, context, width, heads, blocks, batch } = SHAPE;
  console.log(
    `tiny GPT training: vocabulary ${vocab}, context ${context}, ${blocks} pre-norm blocks, width ${width}, ${heads} heads, MLP 4x GELU, AdamW 1e-3, batch ${batch}, float32, synthetic tokens (about ${seconds}s per entry)`,
  );
  // each backend in a process of its own, so the peak RSS column is that entry's alone
  for (const backend of ts.listBackends()) {
    rows.push(
      tesseraInChild<BenchRow>(import.meta.url, backend, (reason) => ({
        framework: "Tessera",
        backend,
        perSecond: null,
        note: `failed: ${reason}`,
      })),
    );
  }
  ts.setBackend(previous);
  rows.push(...(await runTfjsAll(seconds)));
  rows.push(runTorch(TORCH_SCRIPT, seconds, 1), runTorch(TORCH_SCRIPT, seconds, 2));
  console.log(formatTable(rows, "tokens/s", TOKENS_PER_STEP));
  console.log(
    "NOTE: the machine is shared with other jobs and loaded; expect noise of tens of percent between runs.",
  );
  return rows;
}

export const main = run;

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!(await runChildIfAsked((backend) => runTessera(backend, targetSeconds())))) await run();
}
