// examples/browser/worker: the demo page's training worker, started by the page as a module Web
// Worker (ts.createWorkerTrainer("worker.js")). It loads the WebAssembly backend itself when the
// page asks (init) and then trains and predicts on request (see tessera-ml's worker-protocol).
import { startTrainerWorker } from "tessera-ml";

startTrainerWorker();
