/**
 * fromCSV: a Dataset from CSV text with a header row. Numeric columns become features as
 * they are; listed categorical columns are one-hot encoded; a text target becomes class ids.
 * Every problem is reported with its 1-based line number (the header is line 1), so a user
 * can open the file at the bad row.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, listChoices, ReactNNError } from '../errors';
import { type CsvRecord, parseCsv } from './csvParse';
import { createTrustedDataset, type Dataset, type Task } from './dataset';
import { choiceOption, optionsObject, stringListOption } from './validate';

/** Options of {@link fromCSV}. */
export interface FromCSVOptions {
  /** Header name of the target column. */
  target: string;
  /**
   * Columns to one-hot encode. Each becomes one 0/1 feature per category, named
   * `column=category`, in place of the column; categories are sorted (numerically when
   * they all look like numbers, else by code point).
   */
  categorical?: readonly string[];
  /** Columns to ignore entirely (their values are not checked). */
  drop?: readonly string[];
  /**
   * Default: 'regression' for a numeric target, else 'binary' (two classes) or 'multiclass'.
   * Pass 'binary'/'multiclass' to read a numeric target (e.g. 0/1) as classes.
   */
  task?: Exclude<Task, 'multilabel'>;
  /** What to do with a row that has a missing value in a used column: throw (default) or skip the row. */
  missing?: 'error' | 'drop';
  /** Field values that mean "missing". Default `['']` (empty). E.g. `['', 'NA', '?']`. */
  na?: readonly string[];
}

const PATH = 'fromCSV';
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses CSV text into a Dataset. Features keep the header's column order (categorical
 * columns expanded in place, target and dropped columns removed); the Dataset's
 * `featureNames` lists them and, for a class target, `classNames[id]` names each class id
 * (sorted, so ids are stable across row orders).
 * @example
 * const iris = fromCSV(text, { target: 'species' });              // 4 features, 3 classes
 * const penguins = fromCSV(text, { target: 'Species', categorical: ['Island', 'Sex'], missing: 'drop' });
 * @see Dataset for what the result holds; datasets.iris() and friends for ready-made CSVs.
 */
export function fromCSV(text: string, options: FromCSVOptions): Dataset {
  if (typeof text !== 'string') {
    throw new ReactNNError(
      'option',
      PATH,
      `expected CSV text as a string (got ${describe(text)}); read the file first`,
    );
  }
  const o = optionsObject(options, PATH);
  const categorical = stringListOption(o.categorical, 'categorical', PATH);
  const drop = stringListOption(o.drop, 'drop', PATH);
  const na = new Set(o.na === undefined ? [''] : stringListOption(o.na, 'na', PATH));
  const missing = choiceOption(o.missing, 'missing', PATH, ['error', 'drop'] as const, 'error');
  const task = choiceOption(o.task, 'task', PATH, ['regression', 'binary', 'multiclass'] as const);

  const records = parseCsv(text, PATH);
  const header = records[0];
  if (!header)
    throw new ReactNNError('data', PATH, 'the CSV text is empty; it needs a header row and at least one data row');
  const columns = checkHeader(header, o.target, categorical, drop);
  const target = columns.indexOf(o.target as string);
  const used = columns.map((name, i) => i === target || !drop.includes(name));

  // Keep complete rows; report or skip the others.
  const rows: CsvRecord[] = [];
  for (const record of records.slice(1)) {
    if (record.fields.length !== columns.length) {
      throw new ReactNNError(
        'data',
        PATH,
        `line ${record.line}: expected ${columns.length} fields as in the header but found ${record.fields.length}; check for a missing or extra comma, or quote fields that contain commas`,
      );
    }
    const hole = record.fields.findIndex((f, i) => used[i] && na.has(f));
    if (hole === -1) rows.push(record);
    else if (missing === 'error') {
      const f = record.fields[hole] as string;
      throw new ReactNNError(
        'data',
        PATH,
        `line ${record.line}: column ${JSON.stringify(columns[hole])} is ${f === '' ? 'empty' : `${JSON.stringify(f)} (a missing value)`}; fill it in, drop the column, or pass missing: 'drop' to skip such rows`,
      );
    }
  }
  if (rows.length === 0) {
    throw new ReactNNError(
      'data',
      PATH,
      `no complete data rows (of ${records.length - 1}); a Dataset needs at least one example`,
    );
  }

  // Feature columns in header order, each numeric or expanded into its sorted categories.
  const encoders: { col: number; categories?: string[] }[] = [];
  const featureNames: string[] = [];
  columns.forEach((name, col) => {
    if (col === target || !used[col]) return;
    if (categorical.includes(name)) {
      const categories = sortCategories(new Set(rows.map((r) => r.fields[col] as string)));
      encoders.push({ col, categories });
      for (const c of categories) featureNames.push(`${name}=${c}`);
    } else {
      encoders.push({ col });
      featureNames.push(name);
    }
  });
  if (featureNames.length === 0) {
    throw new ReactNNError(
      'data',
      PATH,
      `no feature columns are left besides the target ${JSON.stringify(o.target)}; keep at least one column`,
    );
  }

  const x = new Float32Array(rows.length * featureNames.length);
  rows.forEach((row, r) => {
    let k = r * featureNames.length;
    for (const { col, categories } of encoders) {
      const field = row.fields[col] as string;
      if (categories) {
        x[k + categories.indexOf(field)] = 1;
        k += categories.length;
      } else {
        x[k++] = parseNumber(
          field,
          row.line,
          columns[col] as string,
          'list it in categorical to one-hot encode it, or in drop to ignore it',
        );
      }
    }
  });
  const y = encodeTarget(rows, target, columns[target] as string, task);
  const n = rows.length;
  return createTrustedDataset(
    {
      x: tf.tensor2d(x, [n, featureNames.length]),
      y: tf.tensor2d(y.values, [n, 1]),
      task: y.task,
      ...(y.classNames ? { numClasses: y.classNames.length, classNames: y.classNames } : {}),
      featureNames,
    },
    y.ids,
  );
}

/** Checks the header against the options; returns the column names. */
function checkHeader(header: CsvRecord, target: unknown, categorical: string[], drop: string[]): string[] {
  const columns = header.fields;
  const seen = new Set<string>();
  columns.forEach((name, i) => {
    if (name === '')
      throw new ReactNNError(
        'data',
        PATH,
        `line ${header.line}: column ${i + 1} of the header has no name; name every column`,
      );
    if (seen.has(name))
      throw new ReactNNError(
        'data',
        PATH,
        `line ${header.line}: column name ${JSON.stringify(name)} appears twice in the header; names must be unique`,
      );
    seen.add(name);
  });
  const known = (name: string, option: string) => {
    if (!seen.has(name)) {
      throw new ReactNNError(
        'option',
        PATH,
        `${option} names column ${JSON.stringify(name)}, which is not in the header; columns are ${listChoices(columns)}`,
      );
    }
  };
  if (typeof target !== 'string') {
    throw new ReactNNError(
      'option',
      PATH,
      `target must be the name of the target column (got ${describe(target)}); columns are ${listChoices(columns)}`,
    );
  }
  known(target, 'target');
  for (const c of categorical) known(c, 'categorical');
  for (const c of drop) known(c, 'drop');
  if (categorical.includes(target) || drop.includes(target)) {
    throw new ReactNNError(
      'option',
      PATH,
      `the target ${JSON.stringify(target)} is also listed in ${drop.includes(target) ? 'drop' : 'categorical'}; a text target is encoded as class ids already — remove it from that list`,
    );
  }
  const both = categorical.find((c) => drop.includes(c));
  if (both !== undefined)
    throw new ReactNNError(
      'option',
      PATH,
      `column ${JSON.stringify(both)} is in both categorical and drop; choose one`,
    );
  return columns;
}

function parseNumber(field: string, line: number, column: string, fix: string): number {
  if (!NUMBER.test(field)) {
    throw new ReactNNError(
      'data',
      PATH,
      `line ${line}: column ${JSON.stringify(column)} has ${JSON.stringify(field)}, which is not a number; ${fix}`,
    );
  }
  return Number(field);
}

/** Sorts category values numerically when all are numbers ("4" < "10"), else by code point. */
function sortCategories(values: Set<string>): string[] {
  const list = [...values];
  return list.every((v) => NUMBER.test(v)) ? list.sort((a, b) => Number(a) - Number(b)) : list.sort();
}

/** Target values as numbers (regression) or class ids with their sorted class names. */
function encodeTarget(
  rows: CsvRecord[],
  col: number,
  name: string,
  task: 'regression' | 'binary' | 'multiclass' | undefined,
): { values: Float32Array; task: Task; ids?: Int32Array; classNames?: string[] } {
  const fields = rows.map((r) => r.fields[col] as string);
  const numeric = fields.every((f) => NUMBER.test(f));
  if (task === 'regression' || (task === undefined && numeric)) {
    const values = Float32Array.from(rows, (r, i) =>
      parseNumber(fields[i] as string, r.line, name, "pass task: 'multiclass' for class labels"),
    );
    return { values, task: 'regression' };
  }
  const classNames = sortCategories(new Set(fields));
  if (classNames.length < 2) {
    throw new ReactNNError(
      'data',
      PATH,
      `target column ${JSON.stringify(name)} has a single value ${JSON.stringify(classNames[0])}; a classification target needs at least two classes`,
    );
  }
  if (task === 'binary' && classNames.length !== 2) {
    throw new ReactNNError(
      'data',
      PATH,
      `task 'binary' needs 2 classes but target column ${JSON.stringify(name)} has ${classNames.length} (${listChoices(classNames.slice(0, 6))}${classNames.length > 6 ? ', …' : ''}); use task: 'multiclass'`,
    );
  }
  const index = new Map(classNames.map((c, i) => [c, i]));
  const ids = Int32Array.from(fields, (f) => index.get(f) as number);
  return {
    values: Float32Array.from(ids),
    task: task ?? (classNames.length === 2 ? 'binary' : 'multiclass'),
    ids,
    classNames,
  };
}
