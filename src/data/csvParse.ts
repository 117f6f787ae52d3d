/**
 * A small RFC 4180 tokenizer: comma-separated fields, double-quoted fields that may hold
 * commas, `""` and line breaks, and LF, CRLF or CR line ends. It only splits text into
 * records; meaning (header, numbers, categories) is csv.ts's job. Each record keeps the
 * 1-based line it starts on, so errors can point into the file.
 */
import { ReactNNError } from '../errors';

/** One CSV record: its fields and the 1-based line number where it starts. */
export interface CsvRecord {
  fields: string[];
  line: number;
}

/**
 * Splits CSV text into records. Unquoted fields are trimmed of surrounding spaces; quoted
 * fields are kept verbatim. Blank lines are skipped. A byte-order mark is ignored.
 * Throws ReactNNError (with `path`) for an unterminated quote or text after a closing quote.
 */
export function parseCsv(text: string, path: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  const s = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let line = 1;
  let i = 0;
  while (i < s.length) {
    const start = line;
    const fields: string[] = [];
    let anyQuoted = false;
    // Read fields until the end of this record (a line break outside quotes, or the end).
    for (;;) {
      let field: string;
      let quoted = false;
      while (s[i] === ' ' || s[i] === '\t') i++;
      if (s[i] === '"') {
        quoted = true;
        const open = line;
        let out = '';
        i++;
        for (;;) {
          if (i >= s.length) {
            throw new ReactNNError(
              'data',
              path,
              `line ${open}: a quoted field is never closed; end it with " (write "" for a quote inside a field)`,
            );
          }
          const ch = s[i] as string;
          if (ch === '"') {
            if (s[i + 1] === '"') {
              out += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n' || (ch === '\r' && s[i + 1] !== '\n')) line++;
          out += ch;
          i++;
        }
        while (s[i] === ' ' || s[i] === '\t') i++;
        if (i < s.length && s[i] !== ',' && s[i] !== '\n' && s[i] !== '\r') {
          throw new ReactNNError(
            'data',
            path,
            `line ${line}: unexpected ${JSON.stringify(s[i])} after the closing quote of field ${fields.length + 1}; quote the whole field`,
          );
        }
        field = out;
      } else {
        let j = i;
        while (j < s.length && s[j] !== ',' && s[j] !== '\n' && s[j] !== '\r') j++;
        field = s.slice(i, j).trim();
        i = j;
      }
      fields.push(field);
      if (quoted) anyQuoted = true;
      if (s[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    // Consume the line break (CRLF counts once).
    if (s[i] === '\r' && s[i + 1] === '\n') i += 2;
    else if (s[i] === '\r' || s[i] === '\n') i++;
    line++;
    const blank = fields.length === 1 && fields[0] === '' && !anyQuoted;
    if (!blank) records.push({ fields, line: start });
  }
  return records;
}
