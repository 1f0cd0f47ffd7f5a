// optim/options: the options reader now lives in core/options (train/ and data/ use it too) and
// describe in core/config; re-exported here so the optimizer files keep their short imports.

export { describe } from "../core/config.js";
export {
  booleanOption,
  checkRange,
  nullableNumberOption,
  numberOption,
  type OptionAliases,
  readOptions,
  stringOption,
} from "../core/options.js";
