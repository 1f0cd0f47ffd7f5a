// data/text/text-column: TextVectorizer as a preprocessing step on a Table's text column, so it
// fits inside a Pipeline or ColumnTransformer and its fitted state ships with a model through the
// preprocessing registry. The column is replaced by numeric columns `${column}_0`, `${column}_1`,
// ... (token ids for "int", one per vocabulary index otherwise); other columns pass through.
// Layer: data.
import { ConfigError, ValueError } from "../../core/errors.js";
import { checkJSON, Transformer, type TransformerJSON } from "../preprocess/transformer.js";
import { Column } from "../table/column.js";
import { Table } from "../table/table.js";
import { TextVectorizer, type TextVectorizerOptions } from "./text-vectorizer.js";

export interface TextColumnVectorizerOptions extends Omit<TextVectorizerOptions, "standardize" | "split"> {
  /** The text column (default: the only column of the fitted table). */
  column?: string;
  /** Named standardisation only (a function could not be saved). */
  standardize?: "lower_and_strip_punctuation" | "lower" | "strip_punctuation" | null;
  split?: "whitespace" | "character" | null;
}

/**
 * @example
 * const text = new TextColumnVectorizer({ column: "review", outputMode: "tf_idf", maxTokens: 5000 });
 * const ct = new ColumnTransformer([["text", text, ["review"]], ["num", new StandardScaler(), ["age"]]]);
 */
export class TextColumnVectorizer extends Transformer {
  readonly type = "TextColumnVectorizer";
  readonly vectorizer: TextVectorizer;
  private column: string | undefined;

  constructor(options: TextColumnVectorizerOptions = {}) {
    super();
    const { column, ...vectorizerOptions } = options;
    this.column = column;
    this.vectorizer = new TextVectorizer(vectorizerOptions);
    if (this.vectorizer.outputMode === "int" && this.vectorizer.outputSequenceLength === null) {
      throw new ConfigError(
        `TextColumnVectorizer: outputMode "int" needs outputSequenceLength (a fixed number of columns)`,
      );
    }
  }

  /** The text column this step reads (known after fit when not given). */
  get textColumn(): string | undefined {
    return this.column;
  }

  protected fitTable(table: Table): void {
    if (this.column === undefined) {
      if (table.numColumns !== 1) {
        throw new ValueError(
          `TextColumnVectorizer.fit: name the text column (option column) when the table has ${table.numColumns} columns`,
        );
      }
      this.column = table.columnNames[0]!;
    }
    this.vectorizer.adapt(this.texts("TextColumnVectorizer.fit", table));
  }

  private texts(op: string, table: Table): string[] {
    const name = this.column!;
    if (!table.has(name)) throw new ValueError(`${op}: the table has no column "${name}"`);
    const column = table.column(name);
    if (column.kind !== "string")
      throw new ValueError(`${op}: column "${name}" holds ${column.kind} values, not text`);
    return Array.from({ length: table.numRows }, (_, r) => column.stringAt(r) ?? "");
  }

  private width(): number {
    const v = this.vectorizer;
    if (v.outputMode === "int") return v.outputSequenceLength!;
    return v.padToMaxTokens ? v.maxTokens! : v.vocabularySize();
  }

  protected override outputNames(input: readonly string[]): string[] {
    return input.flatMap((name) =>
      name === this.column ? Array.from({ length: this.width() }, (_, j) => `${name}_${j}`) : [name],
    );
  }

  protected transformTable(table: Table): Table {
    const op = "TextColumnVectorizer.transform";
    const matrix = this.vectorizer.transform(this.texts(op, table));
    const width = this.width();
    const entries: [string, Column][] = [];
    for (const name of table.columnNames) {
      if (name !== this.column) {
        entries.push([name, table.column(name)]);
        continue;
      }
      for (let j = 0; j < width; j++) {
        const values = new Float64Array(table.numRows);
        for (let r = 0; r < table.numRows; r++) values[r] = matrix.data[r * width + j]!;
        entries.push([`${name}_${j}`, Column.fromNumbers("float", values)]);
      }
    }
    return Table.fromEntries(entries, table.numRows);
  }

  toJSON(): TransformerJSON {
    const state = this.vectorizer.toJSON();
    return {
      type: this.type,
      version: 1,
      config: { column: this.column ?? null, ...state.config },
      state: this.fitted ? { vectorizer: state, featureNamesIn: this.featureNamesIn } : null,
    };
  }

  static fromJSON(json: unknown): TextColumnVectorizer {
    const j = checkJSON("TextColumnVectorizer", json);
    const column = typeof j.config.column === "string" ? j.config.column : undefined;
    if (j.state === null) {
      const { column: _, ...config } = j.config;
      const blank = TextVectorizer.fromJSON({
        format: "tessera-text-vectorizer",
        version: 1,
        config,
        vocabulary: [],
        idfWeights: config.outputMode === "tf_idf" ? [] : null,
      });
      return new TextColumnVectorizer({ ...blank.toJSON().config, column } as TextColumnVectorizerOptions);
    }
    const vectorizer = TextVectorizer.fromJSON(j.state.vectorizer);
    const out = new TextColumnVectorizer({
      ...vectorizer.toJSON().config,
      column,
    } as TextColumnVectorizerOptions);
    const saved = vectorizer.toJSON();
    out.vectorizer.setVocabulary(saved.vocabulary, saved.idfWeights ?? undefined);
    const names = j.state.featureNamesIn;
    if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) {
      throw new ValueError("TextColumnVectorizer.fromJSON: state.featureNamesIn must be an array of strings");
    }
    out.featureNamesIn = [...names];
    return out;
  }
}
