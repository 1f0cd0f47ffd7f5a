// report/dashboard/worker: the worker thread that runs the dashboard server. Training blocks the
// main thread between epochs (a fit over arrays never yields to the event loop), so the server
// lives here, on its own event loop, and answers pages and streams while the model trains. The
// main thread posts DashboardMessages; "close" stops the server. Layer: report.
import { parentPort, workerData } from "node:worker_threads";
import type { DashboardMessage } from "./messages.js";
import { DashboardServer, type DashboardServerOptions } from "./server.js";

/** What the worker reports to the main thread. */
export type WorkerReport =
  | { type: "listening"; url: string }
  | { type: "error"; message: string }
  | { type: "closed" };

/** What the main thread posts: a message to publish, or "close". */
export type WorkerCommand = DashboardMessage | { type: "close" };

const port = parentPort;
if (port === null) throw new Error("dashboard worker: must run in a worker thread");
/** workerData: the server's options plus a shared cell the port is published in (see below). */
export interface WorkerData extends DashboardServerOptions {
  portCell: Int32Array;
}

const data = workerData as WorkerData;
const server = new DashboardServer(data);
const report = (message: WorkerReport): void => port.postMessage(message);

server.start().then(
  (url) => {
    // The port also goes to a shared cell, with a notify: a main thread busy training cannot
    // receive messages, but it can wait on the cell (Dashboard.onTrainBegin does).
    Atomics.store(data.portCell, 0, Number(new URL(url).port));
    Atomics.notify(data.portCell, 0);
    report({ type: "listening", url });
  },
  (error: unknown) => report({ type: "error", message: (error as Error).message }),
);

port.on("message", (command: WorkerCommand) => {
  if (command.type === "close") {
    void server.close().then(() => {
      report({ type: "closed" });
      port.close();
    });
    return;
  }
  server.publish(command);
});
