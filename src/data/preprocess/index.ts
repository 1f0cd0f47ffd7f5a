// data/preprocess: cleaning, imputing, scaling, encoding and feature construction steps with
// fit/transform and JSON state, plus Pipeline and ColumnTransformer. Layer: data.
export { coerceTypes, deduplicate, dropMissing, OutlierHandler, TypeCoercer } from "./cleaning.js";
export { type Category, LabelEncoder, OneHotEncoder, OrdinalEncoder } from "./encoders.js";
export { KBinsDiscretizer, Normalizer, PolynomialFeatures } from "./features.js";
export { type ImputeStrategy, SimpleImputer } from "./imputer.js";
export { type ColumnGroup, ColumnTransformer, Pipeline } from "./pipeline.js";
export { transformerFromJSON } from "./registry.js";
export { MinMaxScaler, RobustScaler, StandardScaler } from "./scalers.js";
export { type FeatureInput, Transformer, type TransformerJSON } from "./transformer.js";
