// data/preprocess/registry-entries: the closed list of loadable preprocessing classes (see
// registry.ts). Layer: data.

import { Generalizer } from "../pii/generalize.js";
import { HmacPseudonymizer } from "../pii/pseudonymize.js";
import { DropColumns, MaskColumns } from "../pii/redact.js";
import { TextColumnVectorizer } from "../text/text-column.js";
import { OutlierHandler, TypeCoercer } from "./cleaning.js";
import { LabelEncoder, OneHotEncoder, OrdinalEncoder } from "./encoders.js";
import { KBinsDiscretizer, Normalizer, PolynomialFeatures } from "./features.js";
import { SimpleImputer } from "./imputer.js";
import { ColumnTransformer, Pipeline, type StepLoader } from "./pipeline.js";
import { MinMaxScaler, RobustScaler, StandardScaler } from "./scalers.js";

export const coercers = {
  StandardScaler: (json: unknown) => StandardScaler.fromJSON(json),
  MinMaxScaler: (json: unknown) => MinMaxScaler.fromJSON(json),
  RobustScaler: (json: unknown) => RobustScaler.fromJSON(json),
  Normalizer: (json: unknown) => Normalizer.fromJSON(json),
  SimpleImputer: (json: unknown) => SimpleImputer.fromJSON(json),
  OneHotEncoder: (json: unknown) => OneHotEncoder.fromJSON(json),
  OrdinalEncoder: (json: unknown) => OrdinalEncoder.fromJSON(json),
  LabelEncoder: (json: unknown) => LabelEncoder.fromJSON(json),
  KBinsDiscretizer: (json: unknown) => KBinsDiscretizer.fromJSON(json),
  PolynomialFeatures: (json: unknown) => PolynomialFeatures.fromJSON(json),
  OutlierHandler: (json: unknown) => OutlierHandler.fromJSON(json),
  TypeCoercer: (json: unknown) => TypeCoercer.fromJSON(json),
  Pipeline: (json: unknown, loadStep: StepLoader) => Pipeline.fromJSON(json, loadStep),
  ColumnTransformer: (json: unknown, loadStep: StepLoader) => ColumnTransformer.fromJSON(json, loadStep),
  TextColumnVectorizer: (json: unknown) => TextColumnVectorizer.fromJSON(json),
  DropColumns: (json: unknown) => DropColumns.fromJSON(json),
  MaskColumns: (json: unknown) => MaskColumns.fromJSON(json),
  Generalizer: (json: unknown) => Generalizer.fromJSON(json),
  HmacPseudonymizer: (json: unknown) => HmacPseudonymizer.fromJSON(json),
};
