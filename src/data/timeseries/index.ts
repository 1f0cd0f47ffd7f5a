// data/timeseries: sliding windows over series for forecasting models (Keras
// timeseries_dataset_from_array semantics). Table's shift/lag/diff/rolling/dateParts live in
// data/table/window-ops.ts.
export {
  type ForecastWindowOptions,
  forecastWindows,
  type SeriesInput,
  type TimeseriesDatasetOptions,
  type TimeseriesOptions,
  type TimeseriesWindows,
  timeseriesDataset,
  timeseriesWindows,
} from "./windows.js";
