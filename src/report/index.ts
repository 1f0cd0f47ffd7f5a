// report/: plots (SVG via Vega-Lite), the HTML report, TensorBoard event files and the live
// dashboard. Layer: report.
export { DashboardServer, type DashboardServerOptions } from "./dashboard/server.js";
export { Dashboard, type DashboardOptions, dashboard } from "./dashboard-callback.js";
export {
  type ClassificationResults,
  type RegressionResults,
  type ReportOptions,
  renderReport,
  writeReport,
} from "./html-report.js";
export type { Numbers } from "./numbers.js";
export * as plot from "./plot.js";
export type { HistoryLike } from "./plots-training.js";
export { TensorBoard, type TensorBoardOptions, tensorBoard } from "./tensorboard-callback.js";
export { EventFileWriter, readEventFile } from "./tfevents/event-file.js";
export type { PlotOptions } from "./vega-render.js";
