/**
 * A Vite plugin (Node side only) that turns react-nn's TypeScript types into the API
 * reference: typedoc converts `src/index.ts`, and this file keeps what the page needs as
 * plain JSON (docs/src/api/types.ts), served as the virtual module `virtual:react-nn-api`.
 * Generated on demand — at build time, or the first time the dev server is asked for it —
 * so nothing generated is committed. In dev, a change under src/ regenerates it on the next load.
 */
import path from 'node:path';
import type {
  CommentDisplayPart,
  DeclarationReflection,
  ProjectReflection,
  Reflection,
  SignatureReflection,
  SomeType,
} from 'typedoc';
import type { Plugin } from 'vite';
import type { ApiDoc, ApiEntry, ApiMember, ApiParam, ApiSection, ApiSignature, DocPart, EntryKind } from './types';

const VIRTUAL_ID = 'virtual:react-nn-api';
const RESOLVED_ID = `\0${VIRTUAL_ID}`;

/** Reference sections, in page order, keyed by the source folder their entries live in. */
const SECTIONS: { id: string; title: string; folder: string; blurb: string }[] = [
  {
    id: 'react',
    title: 'React',
    folder: 'src/react/',
    blurb: '<Model>, the hooks, and headless renderModel: the only place where React meets the runtime.',
  },
  {
    id: 'layers',
    title: 'Layers',
    folder: 'src/layers/',
    blurb: 'JSX layers with PyTorch names and defaults (NHWC tensors), and defineLayer for your own.',
  },
  {
    id: 'training',
    title: 'Training',
    folder: 'src/training/',
    blurb: 'The framework-agnostic Trainer, losses, optimizers, metrics, callbacks and schedules.',
  },
  { id: 'data', title: 'Data', folder: 'src/data/', blurb: 'Datasets, generators, CSV and array loaders, MNIST.' },
  { id: 'viz', title: 'Visualisation', folder: 'src/viz/', blurb: 'Charts and views of models and training.' },
  {
    id: 'runtime',
    title: 'Runtime',
    folder: 'src/runtime/',
    blurb: 'Compiling graphs into tf.LayersModels, weight carry-over, backend choice.',
  },
  { id: 'graph', title: 'Graph', folder: 'src/graph/', blurb: 'The pure node tree, shape inference and summaries.' },
  { id: 'errors', title: 'Errors', folder: 'src/errors', blurb: 'ReactNNError: one error class with a layer path.' },
];

export interface TypedocApiOptions {
  /** Absolute path of the repository root, ending in a slash. */
  repo: string;
}

export function typedocApi({ repo }: TypedocApiOptions): Plugin {
  let cached: Promise<string> | null = null;
  const moduleText = () => {
    cached ??= generateApiDoc(repo).then((doc) => `export default ${JSON.stringify(doc)};`);
    return cached;
  };
  return {
    name: 'react-nn:typedoc-api',
    resolveId(id) {
      return id === VIRTUAL_ID ? RESOLVED_ID : undefined;
    },
    load(id) {
      return id === RESOLVED_ID ? moduleText() : undefined;
    },
    configureServer(server) {
      // A source edit makes the reference stale: regenerate on the next request for it.
      const src = path.join(repo, 'src') + path.sep;
      const onChange = (file: string) => {
        if (!file.startsWith(src) || !/\.tsx?$/.test(file)) return;
        cached = null;
        const mod = server.moduleGraph.getModuleById(RESOLVED_ID);
        if (mod) server.moduleGraph.invalidateModule(mod);
      };
      server.watcher.on('change', onChange);
      server.watcher.on('add', onChange);
      server.watcher.on('unlink', onChange);
    },
  };
}

/** Runs typedoc over src/index.ts and extracts the reference; never throws (a failure becomes `error`). */
export async function generateApiDoc(repo: string): Promise<ApiDoc> {
  const generated = new Date().toISOString();
  let typedocVersion = 'unknown';
  try {
    const typedoc = await import('typedoc');
    typedocVersion = typedoc.Application.VERSION;
    const app = await typedoc.Application.bootstrap({
      entryPoints: [path.join(repo, 'src/index.ts')],
      tsconfig: path.join(repo, 'tsconfig.json'),
      basePath: repo,
      // Other work in progress may not type-check; the reference only needs the declarations.
      skipErrorChecking: true,
      excludePrivate: true,
      excludeProtected: true,
      excludeInternal: true,
      disableGit: true,
      sourceLinkTemplate: '{path}#L{line}',
      sort: ['source-order'],
      logLevel: 'Error',
    });
    const project = await app.convert();
    if (!project) throw new Error('typedoc could not convert src/index.ts (see the server log)');
    return { generated, typedocVersion, sections: extract(project, repo, typedoc.ReflectionKind) };
  } catch (e) {
    return { generated, typedocVersion, sections: [], error: (e as Error)?.stack ?? String(e) };
  }
}

type Kinds = typeof import('typedoc').ReflectionKind;

function extract(project: ProjectReflection, repo: string, K: Kinds): ApiSection[] {
  const all = (project.children ?? []).filter((c) => !c.name.startsWith('_'));
  const byName = new Map(all.map((c) => [c.name, c]));
  const sections = SECTIONS.map((s) => ({ id: s.id, title: s.title, blurb: s.blurb, entries: [] as ApiEntry[] }));
  const other: ApiSection = { id: 'other', title: 'Other', blurb: '', entries: [] };
  for (const refl of all) {
    const source = relativeSource(refl, repo);
    const entry = toEntry(refl, source, byName, K);
    const at = SECTIONS.findIndex((s) => source.startsWith(s.folder));
    (at === -1 ? other : (sections[at] as ApiSection)).entries.push(entry);
  }
  const order: EntryKind[] = ['component', 'hook', 'layer', 'function', 'class', 'constant', 'interface', 'type'];
  const result = [...sections, other].filter((s) => s.entries.length > 0);
  for (const s of result) {
    s.entries.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.name.localeCompare(b.name));
  }
  return result;
}

function relativeSource(refl: Reflection, repo: string): string {
  const file = (refl as DeclarationReflection).sources?.[0]?.fullFileName;
  return file ? path.relative(repo, file).split(path.sep).join('/') : '';
}

function toEntry(
  refl: DeclarationReflection,
  source: string,
  byName: Map<string, DeclarationReflection>,
  K: Kinds,
): ApiEntry {
  const signatures = (refl.signatures ?? []).map((s) => toSignature(s, refl.name));
  const comment = refl.comment ?? refl.signatures?.[0]?.comment;
  const entry: ApiEntry = {
    name: refl.name,
    kind: 'function',
    source,
    doc: parts(comment?.summary),
    examples: tagContents(comment, '@example'),
    see: tagContents(comment, '@see'),
    signatures,
    members: [],
  };
  if (refl.kindOf(K.Function)) {
    entry.kind = /^use[A-Z]/.test(refl.name) ? 'hook' : /^[A-Z]/.test(refl.name) ? 'component' : 'function';
  } else if (refl.kindOf(K.Class)) {
    entry.kind = 'class';
    entry.members = members(refl, K);
  } else if (refl.kindOf(K.Interface)) {
    entry.kind = 'interface';
    entry.members = members(refl, K);
  } else if (refl.kindOf(K.TypeAlias)) {
    entry.kind = 'type';
    entry.type = typeText(refl.type);
    if (!entry.type && refl.children) entry.members = members(refl, K);
  } else {
    entry.kind = 'constant';
    entry.type = typeText(refl.type);
    const layerProps = layerPropsName(refl.type);
    if (layerProps) {
      entry.kind = 'layer';
      entry.propsType = layerProps;
      const props = resolveInterface(layerProps, byName, K);
      if (props) entry.members = members(props, K);
    }
  }
  return entry;
}

/** `LayerComponent<LinearProps>` → `LinearProps`. */
function layerPropsName(type: SomeType | undefined): string | null {
  if (type?.type !== 'reference' || type.name !== 'LayerComponent') return null;
  const arg = type.typeArguments?.[0];
  return arg?.type === 'reference' ? arg.name : null;
}

/** An interface by name, following one type alias (`AvgPool2dProps = Pool2dProps`). */
function resolveInterface(
  name: string,
  byName: Map<string, DeclarationReflection>,
  K: Kinds,
): DeclarationReflection | null {
  const refl = byName.get(name);
  if (!refl) return null;
  if (refl.kindOf(K.Interface)) return refl;
  if (refl.kindOf(K.TypeAlias) && refl.type?.type === 'reference') return resolveInterface(refl.type.name, byName, K);
  return null;
}

function members(refl: DeclarationReflection, K: Kinds): ApiMember[] {
  const out: ApiMember[] = [];
  for (const child of refl.children ?? []) {
    if (child.flags.isPrivate || child.flags.isProtected || child.name.startsWith('#')) continue;
    const base = {
      name: child.name,
      optional: child.flags.isOptional,
      readonly: child.flags.isReadonly,
      inheritedFrom: child.inheritedFrom ? child.inheritedFrom.name.split('.')[0] : undefined,
    };
    if (child.kindOf(K.Constructor)) {
      const sigs = (child.signatures ?? []).map((s) => toSignature(s, `new ${refl.name}`, false));
      out.push({ ...base, kind: 'constructor', type: '', doc: sigs[0]?.doc ?? [], signatures: sigs });
    } else if (child.kindOf(K.Method)) {
      const sigs = (child.signatures ?? []).map((s) => toSignature(s, child.name));
      out.push({ ...base, kind: 'method', type: '', doc: sigs[0]?.doc ?? [], signatures: sigs });
    } else if (child.kindOf(K.Accessor)) {
      const get = child.getSignature;
      out.push({
        ...base,
        kind: 'accessor',
        readonly: !child.setSignature,
        type: typeText(get?.type),
        doc: parts(get?.comment?.summary ?? child.comment?.summary),
        signatures: [],
      });
    } else {
      // A property; one holding a function (`subscribe = (fn) => …`) is listed with its call signature.
      const sigs =
        child.type?.type === 'reflection'
          ? (child.type.declaration.signatures ?? []).map((s) => toSignature(s, child.name))
          : [];
      const doc = child.comment?.summary ? parts(child.comment.summary) : (sigs[0]?.doc ?? []);
      out.push({ ...base, kind: 'property', type: typeText(child.type), doc, signatures: sigs });
    }
  }
  // Own members first, then inherited ones, each group in declaration order.
  return [...out.filter((m) => !m.inheritedFrom), ...out.filter((m) => m.inheritedFrom)];
}

function toSignature(sig: SignatureReflection, name: string, withReturn = true): ApiSignature {
  const params: ApiParam[] = (sig.parameters ?? []).map((p) => ({
    name: p.flags.isRest ? `...${p.name}` : p.name,
    type: typeText(p.type),
    optional: p.flags.isOptional || p.defaultValue !== undefined,
    defaultValue: p.defaultValue,
    doc: parts(p.comment?.summary),
  }));
  const typeParams = sig.typeParameters?.length ? `<${sig.typeParameters.map((t) => t.name).join(', ')}>` : '';
  const list = params.map((p) => `${p.name}${p.optional ? '?' : ''}: ${p.type}`).join(', ');
  const returns = typeText(sig.type);
  return {
    text: `${name}${typeParams}(${list})${withReturn && returns ? `: ${returns}` : ''}`,
    doc: parts(sig.comment?.summary),
    params,
    returns,
  };
}

function typeText(type: SomeType | undefined): string {
  if (!type) return '';
  try {
    return type.toString();
  } catch {
    return type.type;
  }
}

function tagContents(
  comment: { blockTags: { tag: string; content: CommentDisplayPart[] }[] } | undefined,
  tag: string,
) {
  return (comment?.blockTags ?? []).filter((t) => t.tag === tag).map((t) => parts(t.content));
}

function parts(list: readonly CommentDisplayPart[] | undefined): DocPart[] {
  if (!list) return [];
  return list.map((p): DocPart => {
    if (p.kind === 'text') return { kind: 'text', text: p.text };
    if (p.kind === 'code') return { kind: 'code', text: p.text };
    if (p.kind === 'inline-tag') {
      const target = p.target;
      const name =
        typeof target === 'string'
          ? target
          : target && 'name' in target
            ? String((target as { name: string }).name)
            : null;
      return { kind: 'link', text: p.text || name || '', target: name };
    }
    return { kind: 'text', text: p.text };
  });
}
