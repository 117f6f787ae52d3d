/**
 * The API reference's data: what docs/src/api/typedocPlugin.ts extracts from react-nn's
 * TypeScript types (with typedoc) at build or dev-server start, and ApiReference renders.
 * Plain JSON, so it crosses from Node to the page as a virtual module.
 */

/** A piece of a doc comment: prose (may hold `inline code` and fenced blocks), code, or a link to another entry. */
export type DocPart =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'link'; text: string; target: string | null };

export type EntryKind = 'component' | 'hook' | 'layer' | 'function' | 'class' | 'interface' | 'type' | 'constant';

export interface ApiParam {
  name: string;
  type: string;
  optional: boolean;
  defaultValue?: string;
  doc: DocPart[];
}

export interface ApiSignature {
  /** `name(a: A, b?: B): R`, ready to print. */
  text: string;
  doc: DocPart[];
  params: ApiParam[];
  returns: string;
}

export interface ApiMember {
  name: string;
  kind: 'property' | 'method' | 'accessor' | 'constructor';
  type: string;
  optional: boolean;
  readonly: boolean;
  doc: DocPart[];
  signatures: ApiSignature[];
  /** Set when the member comes from a parent type (`CommonProps.name`). */
  inheritedFrom?: string;
}

export interface ApiEntry {
  name: string;
  kind: EntryKind;
  /** Source file relative to the repository: `src/layers/core.ts`. */
  source: string;
  doc: DocPart[];
  examples: DocPart[][];
  see: DocPart[][];
  signatures: ApiSignature[];
  members: ApiMember[];
  /** Declared type of a constant or a type alias. */
  type?: string;
  /** Layers: the props interface whose members are listed. */
  propsType?: string;
}

export interface ApiSection {
  id: string;
  title: string;
  blurb: string;
  entries: ApiEntry[];
}

export interface ApiDoc {
  /** ISO time of generation. */
  generated: string;
  typedocVersion: string;
  sections: ApiSection[];
  /** Set when typedoc failed: the page shows it instead of the reference. */
  error?: string;
}
