import { createContext } from 'react';
import { DefaultEventPriority, NoEventPriority } from 'react-reconciler/constants.js';
import { insert, type NNContainer, type NNInstance, remove, shallowEqual, snapshot, stripProps } from './nodes';

/**
 * react-reconciler 0.34 host config. Every function only edits plain instances and marks
 * the container dirty; `resetAfterCommit` hands one snapshot per commit to the container.
 * All 165 keys the reconciler reads are defined: a missing one fails late and obscurely.
 */

type Props = Record<string, unknown>;
type HostContext = Record<string, never>;
type Fiber = { key?: string | null };

function markDirty(container: NNContainer): void {
  container.dirty = true;
}

function createInstance(
  type: string,
  props: Props,
  container: NNContainer,
  _ctx: HostContext,
  fiber: Fiber,
): NNInstance {
  return {
    kind: 'layer',
    type,
    props: stripProps(props),
    key: fiber?.key ?? null,
    text: '',
    children: [],
    parent: null,
    hidden: false,
    container,
  };
}

function createTextInstance(text: string, container: NNContainer): NNInstance {
  return {
    kind: 'text',
    type: '#text',
    props: {},
    key: null,
    text,
    children: [],
    parent: null,
    hidden: false,
    container,
  };
}

function appendChild(parent: NNInstance, child: NNInstance): void {
  insert(parent.children, child, null);
  child.parent = parent;
  markDirty(parent.container);
}

function insertBefore(parent: NNInstance, child: NNInstance, before: NNInstance): void {
  insert(parent.children, child, before);
  child.parent = parent;
  markDirty(parent.container);
}

function removeChild(parent: NNInstance, child: NNInstance): void {
  remove(parent.children, child);
  child.parent = null;
  markDirty(parent.container);
}

function appendChildToContainer(container: NNContainer, child: NNInstance): void {
  insert(container.children, child, null);
  child.parent = container;
  markDirty(container);
}

function insertInContainerBefore(container: NNContainer, child: NNInstance, before: NNInstance): void {
  insert(container.children, child, before);
  child.parent = container;
  markDirty(container);
}

function removeChildFromContainer(container: NNContainer, child: NNInstance): void {
  remove(container.children, child);
  child.parent = null;
  markDirty(container);
}

// React 19 calls commitUpdate on every re-render, equal props or not (no prepareUpdate):
// only a real change may trigger a recompile.
function commitUpdate(instance: NNInstance, _type: string, _prev: Props, next: Props): void {
  const props = stripProps(next);
  if (shallowEqual(instance.props, props)) return;
  instance.props = props;
  markDirty(instance.container);
}

function commitTextUpdate(instance: NNInstance, _old: string, text: string): void {
  if (instance.text === text) return;
  instance.text = text;
  markDirty(instance.container);
}

function resetAfterCommit(container: NNContainer): void {
  if (!container.dirty) return;
  container.dirty = false;
  container.onCommit(snapshot(container));
}

function setHidden(instance: NNInstance, hidden: boolean): void {
  if (instance.hidden === hidden) return;
  instance.hidden = hidden;
  markDirty(instance.container);
}

let currentUpdatePriority: number = NoEventPriority;

const unsupported = (what: string) => () => {
  throw new Error(`react-nn: ${what} is not supported inside a model`);
};
const noop = () => {};

export const hostConfig = {
  // --- Renderer identity ---
  rendererPackageName: 'react-nn',
  rendererVersion: '0.1.0',
  extraDevToolsConfig: null,
  isPrimaryRenderer: false,
  warnsIfNotActing: false,
  supportsMutation: true,
  supportsPersistence: false,
  supportsHydration: false,
  supportsMicrotasks: true,
  supportsResources: false,
  supportsSingletons: false,
  supportsTestSelectors: false,

  // --- Instances ---
  createInstance,
  createTextInstance,
  appendInitialChild: appendChild,
  finalizeInitialChildren: () => false,
  shouldSetTextContent: () => false,
  getRootHostContext: (): HostContext => ({}),
  getChildHostContext: (parent: HostContext) => parent,
  getPublicInstance: (instance: NNInstance) => instance,
  prepareForCommit: () => null,
  resetAfterCommit,
  preparePortalMount: noop,
  commitMount: noop,
  detachDeletedInstance: noop, // instances own no resources; the runtime disposes per model

  // --- Mutation ---
  appendChild,
  appendChildToContainer,
  insertBefore,
  insertInContainerBefore,
  removeChild,
  removeChildFromContainer,
  commitUpdate,
  commitTextUpdate,
  resetTextContent: noop,
  clearContainer: (container: NNContainer) => {
    if (container.children.length === 0) return;
    container.children = [];
    markDirty(container);
  },
  hideInstance: (i: NNInstance) => setHidden(i, true),
  unhideInstance: (i: NNInstance) => setHidden(i, false),
  hideTextInstance: (i: NNInstance) => setHidden(i, true),
  unhideTextInstance: (i: NNInstance, _text: string) => setHidden(i, false),
  resetFormInstance: noop,

  // --- Scheduling and priorities (react-reconciler 0.34 / React 19) ---
  scheduleTimeout: setTimeout,
  cancelTimeout: clearTimeout,
  noTimeout: -1,
  scheduleMicrotask: (fn: () => void) => queueMicrotask(fn),
  setCurrentUpdatePriority: (p: number) => {
    currentUpdatePriority = p;
  },
  getCurrentUpdatePriority: () => currentUpdatePriority,
  // Must return what setCurrentUpdatePriority stored, else sync updates lose their lane.
  resolveUpdatePriority: () =>
    currentUpdatePriority !== NoEventPriority ? currentUpdatePriority : DefaultEventPriority,
  resolveEventType: () => null,
  resolveEventTimeStamp: () => -1.1,
  trackSchedulerEvent: noop, // facebook/react#31528
  shouldAttemptEagerTransition: () => false,
  requestPostPaintCallback: noop,
  getInstanceFromNode: () => null,
  beforeActiveInstanceBlur: noop,
  afterActiveInstanceBlur: noop,
  prepareScopeUpdate: noop,
  getInstanceFromScope: () => null,
  bindToConsole: (method: 'error' | 'warn' | 'log', args: unknown[]) =>
    Function.prototype.bind.apply(console[method], [console, ...args] as [Console, ...unknown[]]),

  // --- Transitions (facebook/react#28751) ---
  NotPendingTransition: null,
  HostTransitionContext: createContext<unknown>(null),

  // --- Suspensey commits (facebook/react#26398): nothing here ever suspends a commit ---
  maySuspendCommit: () => false,
  maySuspendCommitOnUpdate: () => false,
  maySuspendCommitInSyncRender: () => false,
  preloadInstance: () => true,
  startSuspendingCommit: noop,
  suspendInstance: noop,
  suspendOnActiveViewTransition: noop,
  waitForCommitToBeReady: () => null,
  getSuspendedCommitReason: () => null,
  preloadResource: () => true,
  suspendResource: noop,
  mayResourceSuspendCommit: () => false,

  // --- View transitions and gestures (facebook/react#31975): not applicable to a model ---
  applyViewTransitionName: noop,
  restoreViewTransitionName: noop,
  cancelViewTransitionName: noop,
  cancelRootViewTransitionName: noop,
  restoreRootViewTransitionName: noop,
  cloneRootViewTransitionContainer: unsupported('view transitions'),
  removeRootViewTransitionClone: noop,
  measureInstance: () => null,
  measureClonedInstance: () => null,
  wasInstanceInViewport: () => true,
  hasInstanceChanged: () => false,
  hasInstanceAffectedParent: () => false,
  startViewTransition: () => null,
  startGestureTransition: () => null,
  stopViewTransition: noop,
  addViewTransitionFinishedListener: noop,
  createViewTransitionInstance: () => null,
  getCurrentGestureOffset: () => 0,
  getBoundingRect: () => null,
  setFocusIfFocusable: () => false,
  setupIntersectionObserver: () => ({ observe: noop, unobserve: noop, disconnect: noop }),
  isHiddenSubtree: () => false,

  // --- Fragment refs (facebook/react#32465): no DOM to expose ---
  createFragmentInstance: () => null,
  updateFragmentInstanceFiber: noop,
  commitNewChildToFragmentInstance: noop,
  deleteChildFromFragmentInstance: noop,

  // --- Persistence (supportsPersistence is false) ---
  cloneInstance: unsupported('persistent mode'),
  cloneMutableInstance: unsupported('persistent mode'),
  cloneMutableTextInstance: unsupported('persistent mode'),
  createContainerChildSet: unsupported('persistent mode'),
  appendChildToContainerChildSet: unsupported('persistent mode'),
  finalizeContainerChildren: unsupported('persistent mode'),
  replaceContainerChildren: unsupported('persistent mode'),
  cloneHiddenInstance: unsupported('persistent mode'),
  cloneHiddenTextInstance: unsupported('persistent mode'),

  // --- Hydration (supportsHydration is false) ---
  canHydrateInstance: () => null,
  canHydrateTextInstance: () => null,
  canHydrateActivityInstance: () => null,
  canHydrateSuspenseInstance: () => null,
  canHydrateFormStateMarker: () => null,
  isFormStateMarkerMatching: () => false,
  isSuspenseInstancePending: () => false,
  isSuspenseInstanceFallback: () => false,
  getSuspenseInstanceFallbackErrorDetails: () => ({}),
  registerSuspenseInstanceRetry: noop,
  getNextHydratableSibling: () => null,
  getNextHydratableSiblingAfterSingleton: () => null,
  getFirstHydratableChild: () => null,
  getFirstHydratableChildWithinContainer: () => null,
  getFirstHydratableChildWithinActivityInstance: () => null,
  getFirstHydratableChildWithinSuspenseInstance: () => null,
  getFirstHydratableChildWithinSingleton: () => null,
  getNextHydratableInstanceAfterActivityInstance: () => null,
  getNextHydratableInstanceAfterSuspenseInstance: () => null,
  commitHydratedInstance: noop,
  commitHydratedContainer: noop,
  commitHydratedActivityInstance: noop,
  commitHydratedSuspenseInstance: noop,
  finalizeHydratedChildren: () => false,
  hydrateInstance: unsupported('hydration'),
  hydrateTextInstance: unsupported('hydration'),
  hydrateActivityInstance: unsupported('hydration'),
  hydrateSuspenseInstance: unsupported('hydration'),
  clearActivityBoundary: noop,
  clearActivityBoundaryFromContainer: noop,
  clearSuspenseBoundary: noop,
  clearSuspenseBoundaryFromContainer: noop,
  hideDehydratedBoundary: noop,
  unhideDehydratedBoundary: noop,
  shouldDeleteUnhydratedTailInstances: () => false,
  diffHydratedPropsForDevWarnings: () => null,
  diffHydratedTextForDevWarnings: () => null,
  describeHydratableInstanceForDevWarnings: () => null,
  validateHydratableInstance: () => true,
  validateHydratableTextInstance: () => true,
  flushHydrationEvents: noop,
  getTextContent: () => null,
  matchAccessibilityRole: () => false,
  findFiberRoot: () => null,

  // --- Resources, hoistables and singletons (all unsupported flags above) ---
  isHostHoistableType: () => false,
  getHoistableRoot: () => null,
  getResource: () => null,
  acquireResource: () => null,
  releaseResource: noop,
  hydrateHoistable: unsupported('hoistables'),
  mountHoistable: noop,
  unmountHoistable: noop,
  createHoistableInstance: unsupported('hoistables'),
  prepareToCommitHoistables: noop,
  isHostSingletonType: () => false,
  isSingletonScope: () => false,
  resolveSingletonInstance: unsupported('singletons'),
  acquireSingletonInstance: noop,
  releaseSingletonInstance: noop,
};

/** Every key the reconciler reads; a test checks the config defines each one. */
export const HOST_CONFIG_KEYS = Object.keys(hostConfig);
