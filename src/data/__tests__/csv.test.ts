import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../csvParse';
import { type Dataset, datasets, fromCSV } from '../index';
import { expectReactNNError, rows, useCpu, values } from './helpers';

const made: Dataset[] = [];
function keep(ds: Dataset): Dataset {
  made.push(ds);
  return ds;
}

const dataFile = (name: string) => readFileSync(new URL(`../../../data/${name}`, import.meta.url), 'utf8');

beforeAll(useCpu);
afterEach(() => {
  for (const ds of made.splice(0)) ds.dispose();
});

describe('parseCsv', () => {
  it('handles quotes, escaped quotes, commas and line breaks inside quotes, CRLF, blank lines', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline", 7 \n';
    expect(parseCsv(text, 'test')).toEqual([
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x, y', 'say "hi"'], line: 2 },
      { fields: ['multi\nline', '7'], line: 4 },
    ]);
  });

  it('reports an unterminated quote at the line it opens', () => {
    expectReactNNError(() => parseCsv('a,b\n1,2\n3,"oops\n4,5\n', 'fromCSV'), {
      path: 'fromCSV',
      message: /line 3: a quoted field is never closed/,
    });
  });
});

describe('fromCSV', () => {
  it('reads iris: 150 rows, 4 features, 3 sorted classes', () => {
    const ds = keep(fromCSV(dataFile('iris.csv'), { target: 'species' }));
    expect(ds.size).toBe(150);
    expect(ds.inputShape).toEqual([4]);
    expect(ds.featureNames).toEqual(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm']);
    expect(ds.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect([ds.task, ds.numClasses]).toEqual(['multiclass', 3]);
    // First row of Fisher's data: 5.1, 3.5, 1.4, 0.2, setosa.
    expect(rows(ds.x)[0]).toEqual(Array.from(Float32Array.of(5.1, 3.5, 1.4, 0.2)));
    const y = values(ds.y);
    expect([0, 1, 2].map((c) => y.filter((v) => v === c).length)).toEqual([50, 50, 50]);
  });

  it('one-hot encodes categorical columns in place, categories sorted', () => {
    const text = 'size,color,label\n1,red,a\n2,blue,b\n3,green,a\n';
    const ds = keep(fromCSV(text, { target: 'label', categorical: ['color'] }));
    expect(ds.featureNames).toEqual(['size', 'color=blue', 'color=green', 'color=red']);
    expect(rows(ds.x)).toEqual([
      [1, 0, 0, 1],
      [2, 1, 0, 0],
      [3, 0, 1, 0],
    ]);
    expect(ds.task).toBe('binary');
    expect(values(ds.y)).toEqual([0, 1, 0]);
  });

  it('penguins: missing values are an error naming the line, or dropped', () => {
    const text = dataFile('penguins.csv');
    // Line 5 (header = line 1) is "Adelie,Torgersen,,,,,".
    expectReactNNError(() => fromCSV(text, { target: 'Species', categorical: ['Island', 'Sex'] }), {
      path: 'fromCSV',
      code: 'data',
      message: /^fromCSV: line 5: column "Beak Length \(mm\)" is empty; .*missing: 'drop'/,
    });
    const ds = keep(fromCSV(text, { target: 'Species', categorical: ['Island', 'Sex'], missing: 'drop' }));
    // 344 rows, 10 with an empty field; the row with Sex "." stays and becomes its own category.
    expect(ds.size).toBe(334);
    expect(ds.featureNames).toEqual([
      'Island=Biscoe',
      'Island=Dream',
      'Island=Torgersen',
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
      'Sex=.',
      'Sex=FEMALE',
      'Sex=MALE',
    ]);
    // First row: Adelie, Torgersen, 39.1, 18.7, 181, 3750, MALE.
    expect(rows(ds.x)[0]).toEqual(Array.from(Float32Array.of(0, 0, 1, 39.1, 18.7, 181, 3750, 0, 0, 1)));
    expect(ds.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
  });

  it('names the line of a row with the wrong number of fields', () => {
    const text = 'a,b,y\n1,2,0\n3,4,1\n5,6,7,1\n';
    expectReactNNError(() => fromCSV(text, { target: 'y' }), {
      path: 'fromCSV',
      code: 'data',
      message: /^fromCSV: line 4: expected 3 fields as in the header but found 4/,
    });
  });

  it('names the line and column of a non-number, counting lines inside quoted fields', () => {
    const text = 'note,a,y\n"two\nlines",1,0\nok,2,1\nok,x2,1\n';
    expectReactNNError(() => fromCSV(text, { target: 'y', drop: ['note'] }), {
      path: 'fromCSV',
      message: /^fromCSV: line 5: column "a" has "x2", which is not a number; list it in categorical/,
    });
  });

  it('reads a numeric target as regression, or as classes when asked', () => {
    const text = 'a,y\n1,0\n2,1\n3,1\n';
    const reg = keep(fromCSV(text, { target: 'y' }));
    expect(reg.task).toBe('regression');
    const bin = keep(fromCSV(text, { target: 'y', task: 'binary' }));
    expect([bin.task, bin.numClasses, bin.classNames]).toEqual(['binary', 2, ['0', '1']]);
    expectReactNNError(() => fromCSV('a,y\n1,cat\n2,dog\n', { target: 'y', task: 'regression' }), {
      path: 'fromCSV',
      message: /line 2: column "y" has "cat", which is not a number/,
    });
  });

  it('validates column options against the header', () => {
    const text = 'a,b,y\n1,2,0\n';
    expectReactNNError(() => fromCSV(text, { target: 'z' }), {
      path: 'fromCSV',
      code: 'option',
      message: /target names column "z", which is not in the header; columns are "a", "b" or "y"/,
    });
    expectReactNNError(() => fromCSV(text, { target: 'y', categorical: ['q'] }), {
      path: 'fromCSV',
      message: /categorical names column "q"/,
    });
    expectReactNNError(() => fromCSV(text, { target: 'y', drop: ['a', 'b'] }), {
      path: 'fromCSV',
      message: /no feature columns are left/,
    });
    expectReactNNError(() => fromCSV('a,a,y\n1,2,3\n', { target: 'y' }), {
      path: 'fromCSV',
      message: /line 1: column name "a" appears twice/,
    });
    expectReactNNError(() => fromCSV('', { target: 'y' }), { path: 'fromCSV', message: /empty/ });
  });

  it('reads cars (categorical Origin, dropped text columns, missing rows dropped)', () => {
    const ds = keep(
      fromCSV(dataFile('cars.csv'), {
        target: 'Miles_per_Gallon',
        categorical: ['Origin'],
        drop: ['Name', 'Year'],
        missing: 'drop',
      }),
    );
    // 406 rows, 14 without MPG or horsepower: the classic 392 complete cars.
    expect(ds.size).toBe(392);
    expect(ds.featureNames).toEqual([
      'Cylinders',
      'Displacement',
      'Horsepower',
      'Weight_in_lbs',
      'Acceleration',
      'Origin=Europe',
      'Origin=Japan',
      'Origin=USA',
    ]);
    expect(ds.task).toBe('regression');
  });

  it('reads diabetes: integer target stays regression', () => {
    const ds = keep(fromCSV(dataFile('diabetes.csv'), { target: 'progression' }));
    expect([ds.size, ds.inputShape[0], ds.task]).toEqual([442, 10, 'regression']);
    expect(values(ds.y)[0]).toBe(151);
  });

  it('leaks no tensors on success or failure', () => {
    const before = tf.memory().numTensors;
    fromCSV(dataFile('iris.csv'), { target: 'species' }).dispose();
    expect(() => fromCSV('a,y\n1,0\nx,1\n', { target: 'y' })).toThrow();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('built-in CSV data sets', () => {
  it('embed exactly the CSV files in data/ (line ends aside)', async () => {
    const pairs = [
      ['iris', 'iris.csv'],
      ['penguins', 'penguins.csv'],
      ['wine', 'wine.csv'],
      ['breast_cancer', 'breast_cancer.csv'],
    ] as const;
    for (const [mod, file] of pairs) {
      const text = ((await import(`../builtin/${mod}.ts`)) as { default: string }).default;
      expect(text).toBe(dataFile(file).replace(/\r\n?/g, '\n'));
    }
  });

  it('datasets.penguins drops incomplete rows (including Sex ".") → 333 rows, 9 features', () => {
    const ds = keep(datasets.penguins());
    expect(ds.size).toBe(333);
    expect(ds.inputShape).toEqual([9]);
    expect(ds.featureNames?.filter((f) => f.startsWith('Sex='))).toEqual(['Sex=FEMALE', 'Sex=MALE']);
    expectReactNNError(() => datasets.penguins({ missing: 'error' }), { path: 'fromCSV', message: /line 5: column/ });
  });

  it('datasets.iris, wine and breastCancer have their published sizes and class counts', () => {
    const count = (ds: Dataset) => {
      const y = values(ds.y);
      return Array.from({ length: ds.numClasses ?? 0 }, (_, c) => y.filter((v) => v === c).length);
    };
    const iris = keep(datasets.iris());
    expect([iris.size, iris.inputShape[0], count(iris)]).toEqual([150, 4, [50, 50, 50]]);
    const wine = keep(datasets.wine());
    expect([wine.size, wine.inputShape[0], count(wine)]).toEqual([178, 13, [59, 71, 48]]);
    const bc = keep(datasets.breastCancer());
    expect([bc.size, bc.inputShape[0], bc.task, bc.classNames, count(bc)]).toEqual([
      569,
      30,
      'binary',
      ['benign', 'malignant'],
      [357, 212],
    ]);
  });
});
