/**
 * Small real data sets embedded in the library (see data/README.md for sources and
 * licences). The CSV text is a string module under builtin/, so loading needs no file
 * system or network and behaves the same in Node and in the browser.
 */
import breastCancerText from './builtin/breast_cancer';
import irisText from './builtin/iris';
import penguinsText from './builtin/penguins';
import wineText from './builtin/wine';
import { fromCSV } from './csv';
import type { Dataset } from './dataset';
import { choiceOption, optionsObject } from './validate';

/** Options of {@link penguins}. */
export interface PenguinsOptions {
  /** Rows with a missing value: skipped (default, 333 rows remain) or an error. */
  missing?: 'error' | 'drop';
}

/**
 * Fisher's iris: 150 flowers, 4 measurements in cm, 3 species
 * (classNames `setosa`, `versicolor`, `virginica`); 'multiclass'.
 */
export function iris(): Dataset {
  return fromCSV(irisText, { target: 'species' });
}

/**
 * Palmer penguins: 3 species from 4 body measurements plus one-hot `Island` (3) and
 * `Sex` (2) — 9 features. `''` and `.` count as missing; by default those rows are dropped
 * (333 of 344 remain). 'multiclass', classNames `Adelie`, `Chinstrap`, `Gentoo`.
 */
export function penguins(options?: PenguinsOptions): Dataset {
  const o = optionsObject(options, 'datasets.penguins');
  const missing = choiceOption(o.missing, 'missing', 'datasets.penguins', ['error', 'drop'] as const, 'drop');
  return fromCSV(penguinsText, { target: 'Species', categorical: ['Island', 'Sex'], na: ['', '.'], missing });
}

/** UCI wine recognition: 178 wines, 13 chemical measurements, 3 cultivars (`class_0`…`class_2`); 'multiclass'. */
export function wine(): Dataset {
  return fromCSV(wineText, { target: 'cultivar' });
}

/**
 * Wisconsin diagnostic breast cancer: 569 cases, 30 numeric features, 'binary' with
 * classNames `benign` (0) and `malignant` (1).
 */
export function breastCancer(): Dataset {
  return fromCSV(breastCancerText, { target: 'diagnosis' });
}
