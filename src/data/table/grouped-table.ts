// data/table/grouped-table: GroupBy, the rows of a Table grouped by key columns, and its
// aggregations (the grouping and aggregate arithmetic live in group-by.ts). Layer: data.
import type { Column } from "./column.js";
import { type AggName, type AggSpec, aggregate, expandAggSpec, groupRows } from "./group-by.js";
import type { Table } from "./table.js";

/** Builds a Table from [name, Column] pairs (Table.fromEntries, passed in so this file needs no value import of table.ts). */
export type TableFromEntries = (entries: readonly (readonly [string, Column])[], numRows: number) => Table;

/** Rows of a Table grouped by key columns (see Table.groupBy). */
export class GroupBy {
  constructor(
    private readonly table: Table,
    private readonly keys: readonly string[],
    private readonly build: TableFromEntries,
  ) {
    for (const key of keys) table.column(key);
  }

  /** One row per group: the keys, then each aggregate (see AggSpec for output names). */
  agg(spec: AggSpec): Table {
    return this.aggregateEach(expandAggSpec(spec));
  }

  /** Rows per group, in a column named "size". */
  size(): Table {
    return this.aggregateEach(this.keys.slice(0, 1).map((c) => ["size", c, "size"]));
  }

  /** Present values per group for every non-key column. */
  count(): Table {
    const columns = this.table.columnNames.filter((n) => !this.keys.includes(n));
    return this.aggregateEach(columns.map((c) => [c, c, "count"]));
  }

  /** One row per group: the key columns, then one column per [output name, source column, aggregate]. */
  private aggregateEach(specs: Iterable<readonly [string, string, AggName]>): Table {
    const grouping = groupRows(
      this.keys.map((k) => this.table.column(k)),
      this.table.numRows,
    );
    const entries: [string, Column][] = this.keys.map((k) => [
      k,
      this.table.column(k).take(grouping.firstRowOfGroup),
    ]);
    for (const [out, source, agg] of specs) {
      entries.push([out, aggregate(this.table.column(source), source, agg, grouping)]);
    }
    return this.build(entries, grouping.firstRowOfGroup.length);
  }
}
