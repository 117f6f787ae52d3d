// .prof/p.tsx
import * as tf11 from "@tensorflow/tfjs";

// src/errors.ts
var ReactNNError = class extends Error {
  name = "ReactNNError";
  code;
  /** Layer path such as `Sequential > Linear[1]`, or the API name (`createTrainer`) when no layer is involved. */
  path;
  constructor(code, path, message, options) {
    super(path ? `${path}: ${message}` : message, options);
    this.code = code;
    this.path = path;
  }
};
function describe(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(", ")}]`;
  if (value === null) return "null";
  if (typeof value === "function") return "a function";
  if (typeof value === "object") return `an object (${Object.keys(value).join(", ") || "empty"})`;
  return String(value);
}
function listChoices(choices) {
  const quoted = choices.map((c) => JSON.stringify(c));
  return quoted.length <= 1 ? quoted.join("") : `${quoted.slice(0, -1).join(", ")} or ${quoted.at(-1)}`;
}

// src/random.ts
function createRng(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
function deriveSeed(seed, label) {
  let h = (2166136261 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h >>> 0;
}
function randomSeed() {
  return Math.floor(Math.random() * 2 ** 31);
}

// src/graph/path.ts
function segmentLabel(node, nthOfType) {
  if (node.key != null) return `${node.type}#${node.key}`;
  const name = node.props.name;
  if (typeof name === "string" && name !== "") return `${node.type}(${name})`;
  return `${node.type}[${nthOfType}]`;
}
function joinPath(parent, label) {
  return parent ? `${parent} > ${label}` : label;
}
function segmentId(node, nthOfType) {
  const clean = (s) => s.replace(/[^A-Za-z0-9_-]/g, "_");
  if (node.key != null) return `${clean(node.type)}-k${clean(node.key)}`;
  const name = node.props.name;
  if (typeof name === "string" && name !== "") return `${clean(node.type)}-n${clean(name)}`;
  return `${clean(node.type)}_${nthOfType}`;
}
function joinId(parent, segment) {
  return parent ? `${parent}/${segment}` : segment;
}
function nthOfTypeIndices(children) {
  const seen = /* @__PURE__ */ new Map();
  return children.map((c) => {
    const n = seen.get(c.type) ?? 0;
    seen.set(c.type, n + 1);
    return n;
  });
}

// src/graph/analyze.ts
function analyzeGraph(root, inputShape, lookup) {
  checkInputShape(inputShape, root.type);
  const ids = /* @__PURE__ */ new Set();
  const analyzed = analyzeNode(root, inputShape, { path: "", id: "", trainable: true, lookup, ids }, -1, null);
  let total = 0;
  let trainable = 0;
  walk(analyzed, (n) => {
    total += n.params.trainable + n.params.nonTrainable;
    trainable += n.params.trainable;
  });
  return {
    root: analyzed,
    inputShape,
    outputShape: analyzed.outputShape,
    totalParams: total,
    trainableParams: trainable
  };
}
function lastLeafOf(n) {
  const last = n.children.at(-1);
  return last ? lastLeafOf(last) : { path: n.path, type: n.node.type };
}
function walk(node, visit) {
  visit(node);
  for (const c of node.children) walk(c, visit);
}
function checkInputShape(inputShape, rootType) {
  if (inputShape === void 0 || inputShape === null) {
    throw new ReactNNError(
      "option",
      rootType,
      "the model needs an inputShape, the shape of one example without the batch dimension \u2014 e.g. inputShape={[2]} for 2 features or inputShape={[28, 28, 1]} for MNIST (NHWC)"
    );
  }
  const ok = Array.isArray(inputShape) && inputShape.length > 0 && inputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!ok) {
    throw new ReactNNError(
      "option",
      rootType,
      `inputShape must be a non-empty array of positive integers, without the batch dimension (got ${describe(inputShape)})`
    );
  }
}
function analyzeNode(node, input2, parent, nthOfType, source) {
  const isRoot = nthOfType < 0;
  const label = isRoot && node.key == null && !node.props.name ? node.type : segmentLabel(node, nthOfType);
  const path = joinPath(parent.path, label);
  const id = isRoot && node.key == null && !node.props.name ? node.type : joinId(parent.id, segmentId(node, nthOfType));
  const fail2 = (message, code = "prop") => {
    throw new ReactNNError(code, path, message);
  };
  if (node.text !== void 0) {
    fail2(
      `text ${JSON.stringify(node.text.trim())} cannot be part of a model \u2014 only react-nn layers can; move it outside <Model>`,
      "structure"
    );
  }
  const rule = parent.lookup(node.type);
  if (!rule) {
    fail2(
      `<${node.type}> is not a react-nn layer. Inside a model use layers such as <Linear>, <Conv2d> or <ReLU> (or your own from defineLayer); render other elements outside <Model>`,
      "structure"
    );
  }
  const r = rule;
  if (parent.ids.has(id)) {
    fail2(`two layers share the identity "${id}" \u2014 give them different key or name props`, "structure");
  }
  parent.ids.add(id);
  const props = r.normalizeProps(node.props, { path, fail: fail2 });
  const trainable = parent.trainable && props.trainable !== false;
  const scope = { ...parent, path, id, trainable };
  const children = [];
  if (!r.container && node.children.length > 0) {
    fail2(
      `<${node.type}> takes no children (got ${node.children.length}); put layers side by side inside a <Sequential>`,
      "structure"
    );
  }
  const nth = nthOfTypeIndices(node.children);
  const analyzeChild = (i, x, from) => {
    const child = analyzeNode(node.children[i], x, scope, nth[i], from);
    children.push(child);
    return child;
  };
  const ctx = {
    path,
    fail: fail2,
    source,
    childCount: node.children.length,
    // Composition layers (Add, Concat) name the branches that disagree; same labels as the children get.
    // Only error messages read these, so they are made on first use.
    get childPaths() {
      return node.children.map((c, i) => joinPath(path, segmentLabel(c, nth[i])));
    },
    chain: (x) => {
      let shape = x;
      let from = source;
      node.children.forEach((_c, i) => {
        const child = analyzeChild(i, shape, from);
        shape = child.outputShape;
        from = lastLeafOf(child);
      });
      return shape;
    },
    branches: (x) => node.children.map((_c, i) => analyzeChild(i, x, source).outputShape)
  };
  const outputShape = r.outputShape(props, input2, ctx);
  const own = r.params(props, input2);
  const params = trainable ? own : { trainable: 0, nonTrainable: own.trainable + own.nonTrainable };
  return { node, props, path, id, inputShape: input2, outputShape, params, trainable, children };
}

// src/graph/summary.ts
function summarize(graph) {
  const layers6 = [];
  walk(graph.root, (n) => {
    layers6.push({
      path: n.path,
      type: n.node.type,
      outputShape: [...n.outputShape],
      params: n.params.trainable + n.params.nonTrainable,
      trainable: n.trainable
    });
  });
  return {
    layers: layers6,
    inputShape: [...graph.inputShape],
    outputShape: [...graph.outputShape],
    totalParams: graph.totalParams,
    trainableParams: graph.trainableParams,
    nonTrainableParams: graph.totalParams - graph.trainableParams
  };
}

// src/layers/activation.ts
import * as tf2 from "@tensorflow/tfjs";

// src/layers/props.ts
function make(expected, test) {
  const build = (optional, defaultValue) => ({
    expected,
    optional,
    defaultValue,
    test,
    optional_: (d) => build(true, d)
  });
  return build(false, void 0);
}
var isInt = (v) => typeof v === "number" && Number.isInteger(v);
var isNum = (v) => typeof v === "number" && Number.isFinite(v);
function intOrPair(min, expected) {
  return make(
    expected,
    (v) => Array.isArray(v) ? v.length === 2 && v.every((x) => isInt(x) && x >= min) : isInt(v) && v >= min
  );
}
var INIT_NAMES = [
  "zeros",
  "ones",
  "xavierUniform",
  "xavierNormal",
  "heUniform",
  "heNormal",
  "uniform",
  "normal",
  "orthogonal"
];
var prop = {
  positiveInt: () => make("a positive integer", (v) => isInt(v) && v > 0),
  nonNegativeInt: () => make("a non-negative integer", (v) => isInt(v) && v >= 0),
  integer: () => make("an integer", isInt),
  number: () => make("a finite number", isNum),
  positive: () => make("a positive number", (v) => isNum(v) && v > 0),
  nonNegative: () => make("a number \u2265 0", (v) => isNum(v) && v >= 0),
  /** Dropout-style probability: PyTorch accepts 0 ≤ p ≤ 1, but p = 1 zeroes everything and divides by 0. */
  probability: () => make("a probability in [0, 1)", (v) => isNum(v) && v >= 0 && v < 1),
  unitInterval: () => make("a number in [0, 1]", (v) => isNum(v) && v >= 0 && v <= 1),
  boolean: () => make("true or false", (v) => typeof v === "boolean"),
  string: () => make("a non-empty string", (v) => typeof v === "string" && v.length > 0),
  oneOf: (...values) => make(`one of ${values.map((x) => JSON.stringify(x)).join(", ")}`, (v) => values.includes(v)),
  size: () => intOrPair(1, "a positive integer or an [h, w] pair of them"),
  nonNegativeSize: () => intOrPair(0, "a non-negative integer or an [h, w] pair of them"),
  padding: () => make(
    "a non-negative integer, an [h, w] pair of them, 'same' or 'valid'",
    (v) => v === "same" || v === "valid" || intOrPair(0, "").test(v)
  ),
  init: () => make(
    `a number (constant), a function, or one of ${INIT_NAMES.map((n) => JSON.stringify(n)).join(", ")}`,
    (v) => isNum(v) || typeof v === "function" || INIT_NAMES.includes(v)
  ),
  func: () => make("a function", (v) => typeof v === "function"),
  any: (expected = "a value") => make(expected, () => true),
  custom: (expected, test) => make(expected, test)
};

// src/layers/define.ts
var registry = /* @__PURE__ */ new Map();
var COMMON = {
  name: prop.string().optional_(),
  trainable: prop.boolean().optional_()
};
var WEIGHT = {
  weightInit: prop.init().optional_(),
  biasInit: prop.init().optional_()
};
function defineLayer(definition, options = {}) {
  const { type } = definition;
  if (typeof type !== "string" || !/^[A-Z][A-Za-z0-9_]*$/.test(type)) {
    throw new ReactNNError(
      "option",
      "defineLayer",
      `type must be a capitalised identifier such as "SoftExponential" (got ${describe(type)})`
    );
  }
  const existing = registry.get(type);
  if (existing?.builtin && !options.builtin) {
    throw new ReactNNError("option", "defineLayer", `"${type}" is a built-in layer; choose another type name`);
  }
  if (typeof definition.outputShape !== "function" || typeof definition.build !== "function") {
    throw new ReactNNError("option", `defineLayer(${type})`, "a layer needs outputShape and build functions");
  }
  const schema = {
    ...COMMON,
    ...definition.hasWeights ? WEIGHT : {},
    ...definition.props
  };
  const entries = Object.entries(schema);
  const rule = {
    type,
    definition,
    builtin: options.builtin ?? false,
    container: definition.container ?? false,
    hasWeights: definition.hasWeights ?? false,
    normalizeProps: (raw, ctx) => {
      const out = validateProps(type, schema, entries, raw, ctx);
      return definition.normalize ? definition.normalize(out, ctx) : out;
    },
    outputShape: (props, input2, ctx) => definition.outputShape(props, input2, ctx),
    params: (props, input2) => {
      const p = definition.params?.(props, input2) ?? 0;
      return typeof p === "number" ? { trainable: p, nonTrainable: 0 } : p;
    }
  };
  registry.set(type, rule);
  return type;
}
function validateProps(type, schema, entries, raw, ctx) {
  const out = {};
  for (const key in raw) {
    if (!Object.hasOwn(schema, key)) {
      ctx.fail(`<${type}> has no prop "${key}" \u2014 valid props are ${Object.keys(schema).join(", ")}`);
    }
  }
  for (const [key, p] of entries) {
    const v = raw[key];
    if (v === void 0) {
      if (!p.optional) ctx.fail(`${key} is required: ${key} must be ${p.expected}`);
      if (p.defaultValue !== void 0) out[key] = p.defaultValue;
      continue;
    }
    if (!p.test(v)) ctx.fail(`${key} must be ${p.expected} (got ${describe(v)})`);
    out[key] = v;
  }
  return out;
}
function getLayer(type) {
  return registry.get(type);
}

// src/layers/tfLayers.ts
import * as tf from "@tensorflow/tfjs";
function one(inputs) {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}
function oneShape(shape) {
  return Array.isArray(shape[0]) ? shape[0] : shape;
}
function toJsonNumber(v) {
  return Number.isFinite(v) ? v : String(v);
}
var BentIdentityLayer = class extends tf.layers.Layer {
  static className = "ReactNNBentIdentity";
  computeOutputShape(inputShape) {
    return oneShape(inputShape);
  }
  call(inputs) {
    return tf.tidy(() => {
      const x = one(inputs);
      return tf.add(tf.div(tf.sub(tf.sqrt(tf.add(tf.square(x), 1)), 1), 2), x);
    });
  }
};
tf.serialization.registerClass(BentIdentityLayer);
var EluLayer = class extends tf.layers.Layer {
  static className = "ReactNNELU";
  alpha;
  constructor(args = {}) {
    super(args);
    this.alpha = args.alpha ?? 1;
  }
  computeOutputShape(inputShape) {
    return oneShape(inputShape);
  }
  call(inputs) {
    return tf.tidy(() => {
      const x = one(inputs);
      return tf.add(tf.relu(x), tf.mul(this.alpha, tf.elu(tf.minimum(x, 0))));
    });
  }
  getConfig() {
    return { ...super.getConfig(), alpha: this.alpha };
  }
};
tf.serialization.registerClass(EluLayer);
var ConstantPad2dLayer = class extends tf.layers.Layer {
  static className = "ReactNNConstantPad2d";
  padding;
  value;
  constructor(args) {
    super(args);
    this.padding = args.padding;
    this.value = Number(args.value);
  }
  computeOutputShape(inputShape) {
    const [n, h, w, c] = oneShape(inputShape);
    const [[t, b], [l, r]] = this.padding;
    return [n ?? null, h == null ? null : h + t + b, w == null ? null : w + l + r, c ?? null];
  }
  call(inputs) {
    return tf.tidy(() => {
      const [[t, b], [l, r]] = this.padding;
      return tf.pad(
        one(inputs),
        [
          [0, 0],
          [t, b],
          [l, r],
          [0, 0]
        ],
        this.value
      );
    });
  }
  getConfig() {
    return { ...super.getConfig(), padding: this.padding, value: toJsonNumber(this.value) };
  }
};
tf.serialization.registerClass(ConstantPad2dLayer);
var DropoutLayer = class extends tf.layers.Layer {
  static className = "ReactNNDropout";
  rate;
  seed;
  #next;
  constructor(args) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed;
    const rng = args.seed === void 0 ? Math.random : createRng(args.seed);
    this.#next = () => Math.floor(rng() * 2 ** 31);
  }
  computeOutputShape(inputShape) {
    return oneShape(inputShape);
  }
  call(inputs, kwargs) {
    const x = one(inputs);
    if (kwargs.training !== true || this.rate === 0) return x;
    const seed = this.#next();
    return tf.tidy(() => tf.dropout(x, this.rate, void 0, seed));
  }
  getConfig() {
    const config = { ...super.getConfig(), rate: this.rate };
    if (this.seed !== void 0) config.seed = this.seed;
    return config;
  }
};
tf.serialization.registerClass(DropoutLayer);
var BatchNormLayer = class extends tf.layers.Layer {
  static className = "ReactNNBatchNorm";
  momentum;
  epsilon;
  affine;
  #gammaInit;
  #betaInit;
  #gamma = null;
  #beta = null;
  #movingMean = null;
  #movingVariance = null;
  constructor(args = {}) {
    super(args);
    this.momentum = args.momentum ?? 0.1;
    this.epsilon = args.epsilon ?? 1e-5;
    this.affine = args.affine ?? true;
    this.#gammaInit = args.gammaInitializer ?? tf.initializers.ones();
    this.#betaInit = args.betaInitializer ?? tf.initializers.zeros();
  }
  build(inputShape) {
    const shape = oneShape(inputShape);
    const channels = shape[shape.length - 1];
    if (channels == null)
      throw new Error(`BatchNorm needs a known channel count (got input shape ${JSON.stringify(shape)})`);
    if (this.affine) {
      this.#gamma = this.addWeight("gamma", [channels], "float32", this.#gammaInit, void 0, true);
      this.#beta = this.addWeight("beta", [channels], "float32", this.#betaInit, void 0, true);
    }
    this.#movingMean = this.addWeight("moving_mean", [channels], "float32", tf.initializers.zeros(), void 0, false);
    this.#movingVariance = this.addWeight(
      "moving_variance",
      [channels],
      "float32",
      tf.initializers.ones(),
      void 0,
      false
    );
    this.built = true;
  }
  computeOutputShape(inputShape) {
    return oneShape(inputShape);
  }
  call(inputs, kwargs) {
    return tf.tidy(() => {
      const x = one(inputs);
      const movingMean = this.#movingMean;
      const movingVariance = this.#movingVariance;
      const gamma = this.#gamma?.read();
      const beta = this.#beta?.read();
      if (kwargs.training !== true || !this.trainable) {
        return tf.batchNorm(x, movingMean.read(), movingVariance.read(), beta, gamma, this.epsilon);
      }
      const axes = x.shape.map((_d, i) => i).slice(0, -1);
      const { mean: mean2, variance } = tf.moments(x, axes);
      const y = tf.batchNorm(x, mean2, variance, beta, gamma, this.epsilon);
      const n = axes.reduce((acc, a) => acc * x.shape[a], 1);
      const unbiased = n > 1 ? tf.mul(variance, n / (n - 1)) : variance;
      const m = this.momentum;
      movingMean.write(tf.add(tf.mul(movingMean.read(), 1 - m), tf.mul(mean2, m)));
      movingVariance.write(tf.add(tf.mul(movingVariance.read(), 1 - m), tf.mul(unbiased, m)));
      return y;
    });
  }
  getConfig() {
    return { ...super.getConfig(), momentum: this.momentum, epsilon: this.epsilon, affine: this.affine };
  }
};
tf.serialization.registerClass(BatchNormLayer);
var SoftmaxLayer = class extends tf.layers.Layer {
  static className = "ReactNNSoftmax";
  axis;
  constructor(args) {
    super(args);
    this.axis = args.axis;
  }
  computeOutputShape(inputShape) {
    return oneShape(inputShape);
  }
  call(inputs) {
    return tf.tidy(() => {
      const x = one(inputs);
      const axis = this.axis < 0 ? x.rank + this.axis : this.axis;
      if (axis === x.rank - 1) return tf.softmax(x);
      return tf.exp(tf.sub(x, tf.logSumExp(x, axis, true)));
    });
  }
  getConfig() {
    return { ...super.getConfig(), axis: this.axis };
  }
};
tf.serialization.registerClass(SoftmaxLayer);

// src/layers/activation.ts
function elementwise(type, description, make2, fused) {
  return {
    type,
    description,
    props: {},
    outputShape: (_p, input2) => input2,
    build: (_p, ctx) => {
      const layer = make2(ctx.name());
      return (x) => layer.apply(x);
    },
    ...fused ? { fusedActivation: () => fused } : {}
  };
}
var activation = (activation2) => (name) => tf2.layers.activation({ activation: activation2, name });
var ReLU = defineLayer(elementwise("ReLU", "max(0, x)", activation("relu"), "relu"), {
  builtin: true
});
var Sigmoid = defineLayer(
  elementwise("Sigmoid", "1 / (1 + exp(\u2212x))", activation("sigmoid"), "sigmoid"),
  {
    builtin: true
  }
);
var Tanh = defineLayer(elementwise("Tanh", "tanh(x)", activation("tanh"), "tanh"), {
  builtin: true
});
var BentIdentity = defineLayer(
  elementwise("BentIdentity", "(\u221A(x\xB2 + 1) \u2212 1)/2 + x", (name) => new BentIdentityLayer({ name })),
  { builtin: true }
);
var LeakyReLU = defineLayer(
  {
    type: "LeakyReLU",
    description: "x, or negativeSlope\xB7x below 0",
    props: { negativeSlope: prop.number().optional_(0.01) },
    outputShape: (_p, input2) => input2,
    build: (p, ctx) => {
      const layer = tf2.layers.leakyReLU({ alpha: p.negativeSlope, name: ctx.name() });
      return (x) => layer.apply(x);
    }
  },
  { builtin: true }
);
var PReLU = defineLayer(
  {
    type: "PReLU",
    description: "Leaky ReLU with learnt slopes",
    hasWeights: true,
    props: {
      numParameters: prop.positiveInt().optional_(1),
      init: prop.number().optional_(0.25)
    },
    normalize: (p, ctx) => {
      if (p.biasInit !== void 0)
        ctx.fail("PReLU has no bias, so no biasInit \u2014 set its slopes with init or weightInit");
      return p;
    },
    outputShape: (p, input2, ctx) => {
      const channels = input2[input2.length - 1];
      if (p.numParameters !== 1 && p.numParameters !== channels) {
        ctx.fail(
          `numParameters must be 1 (one shared slope) or the channel count ${channels} (last axis of ${describe(input2)}) (got ${p.numParameters})`,
          "shape"
        );
      }
      return input2;
    },
    params: (p) => p.numParameters,
    build: (p, ctx) => {
      const rank = ctx.inputShape.length;
      const axes = Array.from({ length: rank }, (_v, i) => i + 1);
      const sharedAxes = p.numParameters === 1 ? axes : axes.slice(0, -1);
      const fans = { fanIn: p.numParameters, fanOut: p.numParameters };
      const layer = tf2.layers.prelu({
        alphaInitializer: ctx.initializer("weight", fans, p.weightInit ?? p.init),
        ...sharedAxes.length > 0 ? { sharedAxes } : {},
        trainable: ctx.trainable,
        name: ctx.name()
      });
      return (x) => layer.apply(x);
    }
  },
  { builtin: true }
);
var ELU = defineLayer(
  {
    type: "ELU",
    description: "Exponential linear unit",
    props: { alpha: prop.number().optional_(1) },
    outputShape: (_p, input2) => input2,
    build: (p, ctx) => {
      const layer = new EluLayer({ alpha: p.alpha, name: ctx.name() });
      return (x) => layer.apply(x);
    },
    // tfjs' 'elu' is alpha = 1 (its gradient reads the output, so it has no NaN from the unused branch).
    fusedActivation: (p) => p.alpha === 1 ? "elu" : null
  },
  { builtin: true }
);
var GELU = defineLayer(
  {
    type: "GELU",
    description: "Gaussian error linear unit",
    props: { approximate: prop.oneOf("none", "tanh").optional_("none") },
    outputShape: (_p, input2) => input2,
    build: (p, ctx) => {
      const layer = activation(p.approximate === "tanh" ? "gelu_new" : "gelu")(ctx.name());
      return (x) => layer.apply(x);
    }
  },
  { builtin: true }
);
function validDims(rank) {
  const n = rank - 1;
  return n === 1 ? "-1 or 1" : `-${n} \u2026 -1 (from the end) or 1 \u2026 ${n}`;
}
var Softmax = defineLayer(
  {
    type: "Softmax",
    description: "Normalises to probabilities along an axis",
    props: { dim: prop.integer().optional_(-1) },
    outputShape: (p, input2, ctx) => {
      const rank = input2.length + 1;
      if (p.dim < -rank || p.dim >= rank) {
        ctx.fail(
          `dim ${p.dim} is out of range for input ${describe(input2)} (rank ${rank} with the batch dimension) \u2014 valid dims are ${validDims(rank)}, counted as in PyTorch`
        );
      }
      if (p.dim === 0 || p.dim === -rank) {
        ctx.fail(
          `dim ${p.dim} is the batch dimension, and softmax over the batch dimension is almost never wanted \u2014 use dim={-1} (the last axis)`
        );
      }
      return input2;
    },
    build: (p, ctx) => {
      const rank = ctx.inputShape.length + 1;
      const axis = p.dim < 0 ? rank + p.dim : p.dim;
      const layer = axis === rank - 1 ? tf2.layers.softmax({ axis: -1, name: ctx.name() }) : new SoftmaxLayer({ axis, name: ctx.name() });
      return (x) => layer.apply(x);
    }
  },
  { builtin: true }
);

// src/layers/containers.ts
var Sequential = defineLayer(
  {
    type: "Sequential",
    description: "Applies its children in order",
    container: true,
    props: {},
    outputShape: (_p, input2, ctx) => {
      if (ctx.childCount === 0) {
        ctx.fail(
          "<Sequential> needs at least one layer \u2014 put layers inside it, e.g. <Sequential><Linear outFeatures={8} /><ReLU /></Sequential>",
          "structure"
        );
      }
      return ctx.chain(input2);
    },
    build: (_p, ctx) => (x) => ctx.chain(x)
  },
  { builtin: true }
);

// src/layers/core.ts
import * as tf3 from "@tensorflow/tfjs";
var product = (shape) => shape.reduce((a, b) => a * b, 1);
var Linear = defineLayer(
  {
    type: "Linear",
    description: "Fully connected layer",
    hasWeights: true,
    fusesActivation: true,
    props: {
      outFeatures: prop.positiveInt(),
      bias: prop.boolean().optional_(true)
    },
    normalize: (p, ctx) => {
      if (!p.bias && p.biasInit !== void 0) {
        ctx.fail("biasInit is set but bias={false} \u2014 remove one of them");
      }
      return p;
    },
    outputShape: (p, input2, ctx) => {
      if (input2.length > 2) {
        ctx.fail(
          `Linear expects [features] (or [steps, features]) but gets ${describe(input2)}${ctx.source ? ` from ${ctx.source.type} (${ctx.source.path})` : ""} \u2014 insert <Flatten /> before this Linear to make it [${product(input2)}]`,
          "shape"
        );
      }
      return [...input2.slice(0, -1), p.outFeatures];
    },
    params: (p, input2) => {
      const inF = input2[input2.length - 1];
      return inF * p.outFeatures + (p.bias ? p.outFeatures : 0);
    },
    build: (p, ctx) => {
      const fans = { fanIn: ctx.inputShape[ctx.inputShape.length - 1], fanOut: p.outFeatures };
      const dense = tf3.layers.dense({
        units: p.outFeatures,
        useBias: p.bias,
        activation: ctx.activation,
        kernelInitializer: ctx.initializer("weight", fans),
        biasInitializer: ctx.initializer("bias", fans),
        trainable: ctx.trainable,
        name: ctx.name()
      });
      return (x) => dense.apply(x);
    }
  },
  { builtin: true }
);
var Flatten = defineLayer(
  {
    type: "Flatten",
    description: "Flattens all non-batch axes into one",
    props: {},
    outputShape: (_p, input2) => [product(input2)],
    build: (_p, ctx) => {
      const flatten = tf3.layers.flatten({ name: ctx.name() });
      return (x) => flatten.apply(x);
    }
  },
  { builtin: true }
);
var Dropout = defineLayer(
  {
    type: "Dropout",
    description: "Randomly zeroes elements while training",
    props: { p: prop.probability().optional_(0.5) },
    outputShape: (_p, input2) => input2,
    build: (p, ctx) => {
      const dropout2 = new DropoutLayer({ rate: p.p, seed: ctx.seed, name: ctx.name() });
      return (x) => dropout2.apply(x);
    }
  },
  { builtin: true }
);
var Identity = defineLayer(
  {
    type: "Identity",
    description: "Passes its input through unchanged",
    props: {},
    outputShape: (_p, input2) => input2,
    build: (_p, ctx) => {
      const identity = tf3.layers.activation({ activation: "linear", name: ctx.name() });
      return (x) => identity.apply(x);
    }
  },
  { builtin: true }
);

// src/layers/pending.ts
var PendingResource = class extends Error {
  constructor(path, what, promise) {
    super(`${path}: waiting for ${what}`);
    this.path = path;
    this.promise = promise.then(
      () => void 0,
      () => void 0
    );
  }
  path;
  name = "PendingResource";
  /** Settles (either way) when the resource is ready or has failed; never rejects. */
  promise;
};
function isPendingResource(e) {
  return e instanceof PendingResource;
}

// src/layers/init.ts
import * as tf4 from "@tensorflow/tfjs";
function resolveInit(spec, fans, seed) {
  const fanIn = Math.max(1, fans.fanIn);
  const fanOut = Math.max(1, fans.fanOut);
  if (spec === void 0) {
    const bound = 1 / Math.sqrt(fanIn);
    return tf4.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
  }
  if (typeof spec === "number") return tf4.initializers.constant({ value: spec });
  if (typeof spec === "function") return functionInitializer(spec, fans);
  switch (spec) {
    case "zeros":
      return tf4.initializers.zeros();
    case "ones":
      return tf4.initializers.ones();
    case "xavierUniform": {
      const bound = Math.sqrt(6 / (fanIn + fanOut));
      return tf4.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
    }
    case "xavierNormal":
      return tf4.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / (fanIn + fanOut)), seed });
    case "heUniform": {
      const bound = Math.sqrt(6 / fanIn);
      return tf4.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
    }
    case "heNormal":
      return tf4.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / fanIn), seed });
    case "uniform":
      return tf4.initializers.randomUniform({ minval: 0, maxval: 1, seed });
    case "normal":
      return tf4.initializers.randomNormal({ mean: 0, stddev: 1, seed });
    case "orthogonal":
      return tf4.initializers.orthogonal({ gain: 1, seed });
  }
}
var InitializerBase = Object.getPrototypeOf(tf4.initializers.zeros().constructor);
var FunctionInitializer = class extends InitializerBase {
  constructor(fn, fans) {
    super();
    this.fn = fn;
    this.fans = fans;
  }
  fn;
  fans;
  static className = "ReactNNFunctionInitializer";
  apply(shape) {
    const values = this.fn([...shape], this.fans);
    const size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== size) {
      throw new Error(
        `initialiser function returned ${values.length} values for shape [${shape.join(", ")}] (needs ${size})`
      );
    }
    return tf4.tensor(Array.from(values), shape, "float32");
  }
  getConfig() {
    return {};
  }
};
function functionInitializer(fn, fans) {
  return new FunctionInitializer(fn, fans);
}

// src/runtime/backend.ts
import * as tf5 from "@tensorflow/tfjs";
var BACKEND_NAMES = ["webgpu", "webgl", "cpu"];
var selection = null;
var selectionKey = null;
var resolved = null;
function selectBackend(requested) {
  if (requested !== void 0 && !BACKEND_NAMES.includes(requested)) {
    return Promise.reject(
      new ReactNNError(
        "backend",
        "backend",
        `unknown backend ${JSON.stringify(requested)} \u2014 use ${listChoices(BACKEND_NAMES)}`
      )
    );
  }
  const key = requested ?? "auto";
  if (selection && selectionKey === key) {
    return selection.then(async (info) => {
      if (tf5.getBackend() !== info.name) await tf5.setBackend(info.name);
      return info;
    });
  }
  selectionKey = key;
  resolved = null;
  const pending = (requested ? activateRequested(requested) : chooseAuto()).then(
    (info) => {
      if (selection === pending) resolved = info;
      return info;
    },
    (e) => {
      if (selection === pending) {
        selection = null;
        selectionKey = null;
      }
      throw e;
    }
  );
  selection = pending;
  return selection;
}
function selectedBackend(requested) {
  if (!resolved || selectionKey !== (requested ?? "auto")) return null;
  return tf5.getBackend() === resolved.name ? resolved : null;
}
async function activateRequested(name) {
  const adapter = name === "webgpu" ? await prepareWebGPU() : null;
  if (name === "webgpu" && !adapter) {
    throw new ReactNNError(
      "backend",
      "backend",
      'backend "webgpu" was requested but this environment has no WebGPU adapter (navigator.gpu) or @tensorflow/tfjs-backend-webgpu is not installed \u2014 omit backend to fall back to webgl/cpu'
    );
  }
  if (!await trySet(name)) {
    throw new ReactNNError(
      "backend",
      "backend",
      `backend "${name}" failed to initialise here \u2014 omit backend to fall back automatically`
    );
  }
  return { name, adapter, reason: "requested" };
}
async function chooseAuto() {
  const adapter = await prepareWebGPU();
  if (adapter && !adapter.isFallbackAdapter && await trySet("webgpu")) {
    return { name: "webgpu", adapter, reason: "hardware WebGPU adapter" };
  }
  if (hasDom() && await trySet("webgl")) {
    const why = adapter ? "the WebGPU adapter is a software fallback, slower than WebGL" : "no WebGPU adapter";
    return { name: "webgl", adapter, reason: why };
  }
  if (adapter && await trySet("webgpu")) {
    return { name: "webgpu", adapter, reason: "software WebGPU adapter; WebGL unavailable" };
  }
  await trySet("cpu");
  return { name: "cpu", adapter, reason: adapter ? "WebGPU and WebGL unavailable" : "no WebGPU or WebGL here" };
}
function hasDom() {
  return typeof document !== "undefined" || typeof OffscreenCanvas !== "undefined";
}
async function trySet(name) {
  try {
    if (!tf5.findBackendFactory(name)) return false;
    const ok = await tf5.setBackend(name);
    if (ok) await tf5.ready();
    return ok;
  } catch {
    return false;
  }
}
async function prepareWebGPU() {
  const gpu = globalThis.navigator?.gpu;
  if (!gpu) return null;
  let adapter;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return null;
  }
  if (!adapter) return null;
  if (!tf5.findBackendFactory("webgpu")) {
    try {
      await import("@tensorflow/tfjs-backend-webgpu");
    } catch {
      return null;
    }
  }
  if (!tf5.findBackendFactory("webgpu")) return null;
  const info = adapter.info ?? {};
  return {
    vendor: info.vendor ?? "",
    architecture: info.architecture ?? "",
    isFallbackAdapter: Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter)
  };
}

// src/runtime/carryOver.ts
function carryOverWeights(from, to) {
  const old = /* @__PURE__ */ new Map();
  for (const layer of from.layers) for (const w of layer.weights) old.set(w.originalName, w);
  const report = { kept: [], reset: [] };
  for (const layer of to.layers) {
    for (const w of layer.weights) {
      const prev = old.get(w.originalName);
      if (prev && sameShape(prev.shape, w.shape)) {
        w.write(prev.read());
        report.kept.push(w.originalName);
      } else {
        report.reset.push(w.originalName);
      }
    }
  }
  return report;
}
function sameShape(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// src/runtime/compile.ts
import * as tf6 from "@tensorflow/tfjs";
function analyze(root, inputShape) {
  return analyzeGraph(root, inputShape, getLayer);
}
function compileGraph(graph, options = {}) {
  const seed = options.seed ?? randomSeed();
  const fuse = options.fuseActivations ?? true;
  const input2 = tf6.input({ shape: [...graph.inputShape], name: "input" });
  const output = buildNode(graph.root, input2, seed, fuse, "linear");
  return tf6.model({ inputs: input2, outputs: output, name: "react_nn" });
}
function layerOf(node) {
  const layer = getLayer(node.node.type);
  if (!layer) throw new ReactNNError("structure", node.path, `<${node.node.type}> is not a registered layer`);
  return layer;
}
function foldable(prev, next) {
  if (!next || next.children.length > 0 || prev.children.length > 0) return null;
  const p = getLayer(prev.node.type)?.definition;
  if (!p?.fusesActivation) return null;
  const n = getLayer(next.node.type)?.definition;
  return n?.fusedActivation?.(next.props) ?? null;
}
function buildChain(children, x, seed, fuse) {
  let acc = x;
  for (let i = 0; i < children.length; i++) {
    const child = children[i];
    const next = children[i + 1];
    const folded = fuse ? foldable(child, next) : null;
    acc = buildNode(child, acc, seed, fuse, folded ?? "linear");
    if (folded && next) {
      const alias = tf6.layers.activation({ activation: "linear", name: next.id });
      acc = applyLayer(next, () => alias.apply(acc));
      i++;
    }
  }
  return acc;
}
function buildNode(node, x, seed, fuse, activation2) {
  const layer = layerOf(node);
  const props = node.props;
  const ctx = {
    path: node.path,
    id: node.id,
    inputShape: node.inputShape,
    outputShape: node.outputShape,
    trainable: node.trainable,
    seed: deriveSeed(seed, node.id),
    activation: activation2,
    name: (suffix) => suffix ? `${node.id}.${suffix}` : node.id,
    initializer: (role, fans, spec) => {
      const chosen = spec ?? (role === "weight" ? props.weightInit : props.biasInit);
      return resolveInit(chosen, fans, deriveSeed(seed, `${node.id}:${role}`));
    },
    chain: (input2) => buildChain(node.children, input2, seed, fuse),
    branches: (input2) => node.children.map((child) => buildNode(child, input2, seed, fuse, "linear"))
  };
  const apply = layer.definition.build(props, ctx);
  return applyLayer(node, () => apply(x));
}
function applyLayer(node, apply) {
  try {
    return apply();
  } catch (e) {
    if (e instanceof ReactNNError) throw e;
    throw new ReactNNError("shape", node.path, `tfjs could not build this layer: ${e.message}`, {
      cause: e
    });
  }
}

// src/runtime/net.ts
import * as tf7 from "@tensorflow/tfjs";

// src/subscribable.ts
var Subscribable = class {
  #listeners = /* @__PURE__ */ new Set();
  #snapshot;
  constructor(initial) {
    this.#snapshot = initial;
  }
  /** Adds a listener; returns the unsubscribe function. Bound, so it can be passed around. */
  subscribe = (listener) => {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  };
  /** The current snapshot: the same object until something changes. Bound. */
  getSnapshot = () => this.#snapshot;
  hasListeners() {
    return this.#listeners.size > 0;
  }
  /** Replaces the snapshot with a new object and notifies listeners. */
  setSnapshot(patch) {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const l of [...this.#listeners]) l();
  }
};

// src/runtime/net.ts
var INITIAL = {
  status: "building",
  model: null,
  graph: null,
  summary: null,
  backend: null,
  error: null,
  version: 0,
  lastEdit: null
};
var Net = class extends Subscribable {
  #options;
  #root = null;
  #backendPromise = null;
  #detachTimer = null;
  #disposeTimer = null;
  #owners = 0;
  #disposed = false;
  #waiters = [];
  #validators = /* @__PURE__ */ new Set();
  #fresh = false;
  /** Issue 7: set while a layer waits for an async resource (<Pretrained> loading); see #wait. */
  #pending = null;
  /** Issue 7: seed and backend the current model was compiled with, for the trainable-only fast path. */
  #builtWith = null;
  /** The analysis of a tree that waits for the backend, reused when that same tree is committed again. */
  #analyzed = null;
  constructor(options = {}) {
    super(INITIAL);
    this.#options = { ...options };
  }
  get model() {
    return this.getSnapshot().model;
  }
  get options() {
    return this.#options;
  }
  /** Changes inputShape, backend or seed; rebuilds when a tree is present (weights kept where shapes allow). */
  setOptions(options) {
    const prev = this.#options;
    const next = { ...prev, ...options };
    const changed = JSON.stringify(prev.inputShape) !== JSON.stringify(next.inputShape) || prev.backend !== next.backend || prev.seed !== next.seed;
    this.#options = next;
    if (!changed) return;
    if (prev.backend !== next.backend) this.#backendPromise = null;
    if (this.#root) this.commit(this.#root);
  }
  /**
   * Takes a new node tree. Validation runs at once; compiling waits for the backend. A bad
   * tree leaves the last good model in place and reports the error (also returned).
   */
  commit(root) {
    this.#assertAlive();
    this.#cancelDetach();
    this.#root = root;
    this.#pending = null;
    if (!root) {
      this.#replaceModel(null, null);
      return null;
    }
    let graph;
    const analyzed = this.#analyzed;
    this.#analyzed = null;
    try {
      graph = analyzed?.root === root && analyzed.inputShape === this.#options.inputShape ? analyzed.graph : this.#analyze(root);
    } catch (e) {
      if (isPendingResource(e)) return this.#wait(e.promise);
      return this.#fail(e);
    }
    const backend = this.getSnapshot().backend;
    if (backend && this.#backendPromise && tf7.getBackend() === backend.name) return this.#build(graph);
    if (!this.#backendPromise) {
      const ready2 = selectedBackend(this.#options.backend);
      if (ready2) {
        this.#backendPromise = Promise.resolve(ready2);
        this.setSnapshot({ backend: ready2 });
        return this.#build(graph);
      }
    }
    this.#analyzed = { root, inputShape: this.#options.inputShape, graph };
    this.#startBackend();
    return null;
  }
  #analyze(root) {
    const graph = analyze(root, this.#options.inputShape);
    for (const validate of this.#validators) {
      const problem = validate(graph);
      if (problem) throw problem;
    }
    return graph;
  }
  /** Adds a check every new graph must pass (see GraphValidator); returns its remover. */
  addValidator(validate) {
    this.#validators.add(validate);
    this.#analyzed = null;
    return () => {
      this.#validators.delete(validate);
    };
  }
  /** Rebuilds the current tree with freshly initialised weights (nothing carried over). */
  reinitialize() {
    if (!this.#root) return;
    this.#fresh = true;
    try {
      this.commit(this.#root);
    } finally {
      this.#fresh = false;
    }
  }
  /** Resolves once a model is built from the current tree; rejects with the build error. */
  ready() {
    const s = this.getSnapshot();
    if (s.model && !this.#pending) return Promise.resolve();
    if (s.status === "error" && !s.model) return Promise.reject(s.error);
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }
  summary() {
    const s = this.getSnapshot().summary;
    if (!s) throw new ReactNNError("state", "summary", "no model has been built yet \u2014 await ready() first");
    return s;
  }
  /**
   * Runs the model in inference mode (dropout off, batch norm on running statistics).
   * Takes a tensor or nested arrays with a batch dimension; returns a tensor the caller disposes.
   */
  predict(x) {
    const { model: model3, graph } = this.getSnapshot();
    if (!model3 || !graph)
      throw new ReactNNError("state", "predict", "no model has been built yet \u2014 await ready() first");
    const input2 = x instanceof tf7.Tensor ? x : tf7.tensor(x);
    try {
      const expected = graph.inputShape;
      const got = input2.shape.slice(1);
      if (got.length !== expected.length || got.some((d, i) => d !== expected[i])) {
        throw new ReactNNError(
          "shape",
          "predict",
          `input has shape ${describe(input2.shape)} but the model takes [batch, ${expected.join(", ")}] \u2014 add a batch dimension or reshape the data`
        );
      }
      return model3.predict(input2, { batchSize: Math.min(Math.max(input2.shape[0] ?? 1, 1), 8192) });
    } finally {
      if (input2 !== x) input2.dispose();
    }
  }
  /**
   * Drops the model on the next macrotask unless a commit arrives first — so a StrictMode
   * unmount/remount of `<Model>` takes its model (and weights) back.
   */
  detach() {
    if (this.#detachTimer || this.#disposed) return;
    this.#detachTimer = setTimeout(() => {
      this.#detachTimer = null;
      this.#root = null;
      this.#replaceModel(null, null);
    }, 0);
  }
  /** Marks one more owner (a mounted `useModel`); pairs with `release`. */
  retain() {
    this.#owners++;
    if (this.#disposeTimer) clearTimeout(this.#disposeTimer);
    this.#disposeTimer = null;
  }
  /** Drops an owner; the last one out disposes the net on the next macrotask unless retained again. */
  release() {
    this.#owners = Math.max(0, this.#owners - 1);
    if (this.#owners > 0 || this.#disposeTimer || this.#disposed) return;
    this.#disposeTimer = setTimeout(() => {
      this.#disposeTimer = null;
      if (this.#owners === 0) this.dispose();
    }, 0);
  }
  /** Reports an error from outside the compiler (a component inside the model threw); the model is kept. */
  reportError(e) {
    return this.#fail(e);
  }
  get status() {
    return this.getSnapshot().status;
  }
  get error() {
    return this.getSnapshot().error;
  }
  get backend() {
    return this.getSnapshot().backend;
  }
  get graph() {
    return this.getSnapshot().graph;
  }
  get version() {
    return this.getSnapshot().version;
  }
  /** Disposes the model and every tensor it owns. Idempotent. */
  dispose() {
    if (this.#disposed) return;
    this.#cancelDetach();
    if (this.#disposeTimer) clearTimeout(this.#disposeTimer);
    this.#replaceModel(null, null);
    this.#disposed = true;
    for (const w of this.#waiters.splice(0)) w.reject(new ReactNNError("state", "Net", "disposed before it was ready"));
  }
  get isDisposed() {
    return this.#disposed;
  }
  #startBackend() {
    if (!this.#backendPromise) this.#backendPromise = selectBackend(this.#options.backend);
    const promise = this.#backendPromise;
    promise.then(
      (info) => {
        if (this.#disposed || promise !== this.#backendPromise) return;
        this.setSnapshot({ backend: info });
        if (this.#root) this.commit(this.#root);
      },
      (e) => {
        if (this.#disposed || promise !== this.#backendPromise) return;
        this.#backendPromise = null;
        this.#fail(e);
      }
    );
  }
  #build(graph) {
    if (this.#retrain(graph)) return null;
    let model3;
    try {
      model3 = compileGraph(graph, { seed: this.#options.seed });
    } catch (e) {
      return this.#fail(e);
    }
    this.#replaceModel(model3, graph);
    this.#builtWith = { seed: this.#options.seed, backend: tf7.getBackend() };
    return null;
  }
  /**
   * Issue 7: waits for a resource a layer needs (a `<Pretrained>` model loading). The status
   * stays 'building' (the last model, if any, keeps running) and the current tree is committed
   * again when the promise settles — then the resource is cached and analysis goes through,
   * or reports the load error. A newer commit supersedes the wait.
   */
  #wait(promise) {
    this.#pending = promise;
    this.setSnapshot({ status: "building", error: null });
    promise.then(() => {
      if (this.#disposed || this.#pending !== promise) return;
      this.#pending = null;
      if (!this.#root) return;
      const error = this.commit(this.#root);
      if (error) for (const w of this.#waiters.splice(0)) w.reject(error);
    });
    return null;
  }
  /**
   * Issue 7 fast path: when an edit only flips `trainable` flags, re-flag the live tfjs layers
   * instead of recompiling — weights, optimizer state and every other layer stay untouched, and
   * the change applies from the next training step. The snapshot gets a new model object over
   * the same layers (so per-model caches, like the training engine's parameter list, re-read
   * `trainableWeights`), the new graph and summary, and a new version. Returns false to rebuild.
   */
  #retrain(graph) {
    const prev = this.getSnapshot();
    const built = this.#builtWith;
    if (this.#fresh || !prev.model || !prev.graph || !built) return false;
    if (built.seed !== this.#options.seed || built.backend !== tf7.getBackend()) return false;
    if (!onlyTrainableChanged(prev.graph, graph)) return false;
    const flags = /* @__PURE__ */ new Map();
    walk(graph.root, (n) => flags.set(n.id, n.trainable));
    for (const layer of prev.model.layers) {
      const flag = flags.get(layer.name.split(".")[0]);
      if (flag !== void 0) setTrainable(layer, flag);
    }
    const model3 = tf7.model({ inputs: prev.model.inputs, outputs: prev.model.outputs, name: prev.model.name });
    this.setSnapshot({
      status: "ready",
      model: model3,
      graph,
      summary: summarize(graph),
      error: null,
      version: prev.version + 1,
      lastEdit: { kept: model3.weights.map((w) => w.originalName), reset: [] }
    });
    for (const w of this.#waiters.splice(0)) w.resolve();
    return true;
  }
  #replaceModel(model3, graph) {
    const prev = this.getSnapshot();
    const lastEdit = model3 && prev.model && !this.#fresh ? carryOverWeights(prev.model, model3) : null;
    prev.model?.dispose();
    if (!model3) {
      if (prev.model) this.setSnapshot({ ...INITIAL, backend: prev.backend, version: prev.version });
      return;
    }
    this.setSnapshot({
      status: "ready",
      model: model3,
      graph,
      summary: graph ? summarize(graph) : null,
      error: null,
      version: prev.version + 1,
      lastEdit
    });
    for (const w of this.#waiters.splice(0)) w.resolve();
  }
  #fail(e) {
    const error = e instanceof ReactNNError ? e : new ReactNNError("structure", "Model", `could not build the model: ${e?.message ?? String(e)}`, {
      cause: e
    });
    this.setSnapshot({ status: "error", error });
    if (!this.getSnapshot().model) for (const w of this.#waiters.splice(0)) w.reject(error);
    return error;
  }
  #cancelDetach() {
    if (this.#detachTimer) clearTimeout(this.#detachTimer);
    this.#detachTimer = null;
  }
  #assertAlive() {
    if (this.#disposed) throw new ReactNNError("state", "Net", "this model was disposed; create a new one");
  }
};
function onlyTrainableChanged(a, b) {
  let flipped = false;
  const sameShape3 = (x, y) => x.length === y.length && x.every((d, i) => d === y[i]);
  const same = (x, y) => {
    if (x.id !== y.id || x.node.type !== y.node.type || x.children.length !== y.children.length) return false;
    if (!sameShape3(x.inputShape, y.inputShape) || !sameShape3(x.outputShape, y.outputShape)) return false;
    const keys = /* @__PURE__ */ new Set([...Object.keys(x.props), ...Object.keys(y.props)]);
    keys.delete("trainable");
    for (const k of keys) if (!sameValue(x.props[k], y.props[k])) return false;
    if (x.trainable !== y.trainable) flipped = true;
    return x.children.every((c, i) => same(c, y.children[i]));
  };
  return sameShape3(a.inputShape, b.inputShape) && same(a.root, b.root) && flipped;
}
function sameValue(x, y) {
  if (Object.is(x, y)) return true;
  return Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => Object.is(v, y[i]));
}
function setTrainable(layer, trainable) {
  layer.trainable = trainable;
  const inner = layer.layers;
  if (Array.isArray(inner)) for (const l of inner) setTrainable(l, trainable);
}

// src/training/losses.ts
import * as tf8 from "@tensorflow/tfjs";
var LOSS_NAMES = ["mse", "mae", "huber", "bce", "bceWithLogits", "crossEntropy", "multiLabelBce"];
var META = {
  mse: { expects: "values", targets: "values" },
  mae: { expects: "values", targets: "values" },
  huber: { expects: "values", targets: "values" },
  bce: { expects: "probabilities", targets: "binary" },
  bceWithLogits: { expects: "logits", targets: "binary" },
  crossEntropy: { expects: "logits", targets: "classIndex" },
  multiLabelBce: { expects: "probabilities", targets: "multiLabel" }
};
var OPTION_KEYS = {
  mse: [],
  mae: [],
  huber: ["delta"],
  bce: [],
  bceWithLogits: [],
  crossEntropy: ["labelSmoothing"],
  multiLabelBce: []
};
function fmtShape(shape) {
  return `[${shape.map((d) => d === null ? "null" : d).join(", ")}]`;
}
function alignTargets(yTrue, yPred, name, path) {
  const y = yTrue.dtype === "float32" ? yTrue : tf8.cast(yTrue, "float32");
  if (y.shape.length === yPred.shape.length && y.shape.every((d, i) => d === yPred.shape[i])) return y;
  if (y.size === yPred.size) return tf8.reshape(y, yPred.shape);
  throw new ReactNNError(
    "shape",
    path,
    `${name} compares each prediction with one label, but the predictions are ${fmtShape(yPred.shape)} and the labels ${fmtShape(yTrue.shape)} \u2014 make the last layer output as many values per sample as the labels have`
  );
}
function asScalar(t) {
  return t;
}
var bceElementwise = /* @__PURE__ */ tf8.customGrad((...args) => {
  const [p, y, save] = args;
  save([p, y]);
  const logP = tf8.maximum(tf8.log(p), -100);
  const log1mP = tf8.maximum(tf8.log(tf8.sub(1, p)), -100);
  const value = tf8.neg(tf8.add(tf8.mul(y, logP), tf8.mul(tf8.sub(1, y), log1mP)));
  return {
    value,
    gradFunc: (dy, saved) => {
      const [ps, ys] = saved;
      const denom = tf8.maximum(tf8.mul(ps, tf8.sub(1, ps)), 1e-12);
      const dp = tf8.mul(dy, tf8.div(tf8.sub(ps, ys), denom));
      const dyTrue = tf8.mul(dy, tf8.sub(tf8.maximum(tf8.log(tf8.sub(1, ps)), -100), tf8.maximum(tf8.log(ps), -100)));
      return [dp, dyTrue];
    }
  };
});
var bceLogitsElementwise = /* @__PURE__ */ tf8.customGrad((...args) => {
  const [x, y, save] = args;
  save([x, y]);
  const value = tf8.add(tf8.sub(tf8.relu(x), tf8.mul(x, y)), tf8.log1p(tf8.exp(tf8.neg(tf8.abs(x)))));
  return {
    value,
    gradFunc: (dy, saved) => {
      const [xs, ys] = saved;
      return [tf8.mul(dy, tf8.sub(tf8.sigmoid(xs), ys)), tf8.mul(dy, tf8.neg(xs))];
    }
  };
});
function mseLoss(path) {
  return (yTrue, yPred) => tf8.tidy(() => asScalar(tf8.mean(tf8.squaredDifference(yPred, alignTargets(yTrue, yPred, "mse", path)))));
}
function maeLoss(path) {
  return (yTrue, yPred) => tf8.tidy(() => asScalar(tf8.mean(tf8.abs(tf8.sub(yPred, alignTargets(yTrue, yPred, "mae", path))))));
}
function huberLoss(delta, path) {
  return (yTrue, yPred) => tf8.tidy(() => {
    const a = tf8.abs(tf8.sub(yPred, alignTargets(yTrue, yPred, "huber", path)));
    const q = tf8.minimum(a, delta);
    return asScalar(tf8.mean(tf8.add(tf8.mul(0.5, tf8.square(q)), tf8.mul(delta, tf8.sub(a, q)))));
  });
}
function bceLoss(name, path) {
  return (yTrue, yPred) => tf8.tidy(() => asScalar(tf8.mean(bceElementwise(yPred, alignTargets(yTrue, yPred, name, path)))));
}
function bceWithLogitsLoss(path) {
  return (yTrue, yPred) => tf8.tidy(() => asScalar(tf8.mean(bceLogitsElementwise(yPred, alignTargets(yTrue, yPred, "bceWithLogits", path)))));
}
function crossEntropyLoss(labelSmoothing, path) {
  return (yTrue, yPred) => tf8.tidy(() => {
    if (yPred.rank === 0) {
      throw new ReactNNError("shape", path, "crossEntropy needs one logit per class, but the prediction is a scalar");
    }
    const c = yPred.shape[yPred.rank - 1];
    const logits = tf8.reshape(yPred, [-1, c]);
    const rows = logits.shape[0];
    let q;
    if (yTrue.size === rows) {
      q = tf8.cast(tf8.oneHot(tf8.cast(tf8.reshape(yTrue, [-1]), "int32"), c), "float32");
    } else if (yTrue.size === yPred.size) {
      q = tf8.cast(tf8.reshape(yTrue, [-1, c]), "float32");
    } else {
      throw new ReactNNError(
        "shape",
        path,
        `crossEntropy takes one class id or one row of ${c} class probabilities per sample, but the predictions are ${fmtShape(yPred.shape)} and the labels ${fmtShape(yTrue.shape)} \u2014 give class ids of shape [n] or one-hot labels of shape [n, ${c}]`
      );
    }
    if (labelSmoothing > 0) q = tf8.add(tf8.mul(q, 1 - labelSmoothing), labelSmoothing / c);
    return asScalar(tf8.div(tf8.neg(tf8.sum(tf8.mul(q, tf8.logSoftmax(logits)))), rows));
  });
}
function checkOption(value, name, ok, rule, path) {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
    throw new ReactNNError("option", path, `${name} must be ${rule} (got ${describe(value)})`);
  }
  return value;
}
function wrapCustom(fn, path) {
  const name = fn.name || "custom";
  return (yTrue, yPred) => {
    const out = fn(yTrue, yPred);
    if (!(out instanceof tf8.Tensor) || out.rank !== 0) {
      const got = out instanceof tf8.Tensor ? `a tensor of shape ${fmtShape(out.shape)}` : describe(out);
      if (out instanceof tf8.Tensor) out.dispose();
      throw new ReactNNError(
        "option",
        path,
        `the custom loss ${JSON.stringify(name)} must return a scalar tensor (got ${got}) \u2014 reduce it with tf.mean(...)`
      );
    }
    return out;
  };
}
function resolveLoss(spec, path = "resolveLoss") {
  if (typeof spec === "function") {
    return {
      name: spec.name || "custom",
      fn: wrapCustom(spec, path),
      expects: "values",
      targets: "values",
      custom: true,
      options: {}
    };
  }
  let name = spec;
  let given = {};
  if (spec !== null && typeof spec === "object" && !Array.isArray(spec)) {
    ({ type: name, ...given } = spec);
  }
  if (typeof name !== "string" || !LOSS_NAMES.includes(name)) {
    const hint = typeof name === "string" && /^(categorical|sparse|softmax|ce|cross)/i.test(name) ? ' ("crossEntropy" takes logits and class ids, like torch.nn.CrossEntropyLoss)' : "";
    const got = typeof spec === "object" && spec !== null ? `{ type: ${describe(name)} }` : describe(spec);
    throw new ReactNNError(
      "option",
      path,
      `unknown loss ${got} \u2014 use ${listChoices(LOSS_NAMES)}, or a function (yTrue, yPred) => tf.Scalar${hint}`
    );
  }
  const lossName = name;
  const allowed = OPTION_KEYS[lossName];
  for (const key of Object.keys(given)) {
    if (!allowed.includes(key)) {
      throw new ReactNNError(
        "option",
        path,
        `the ${lossName} loss has no option ${JSON.stringify(key)} \u2014 ${allowed.length ? `its options are ${listChoices(allowed)}` : "it takes no options"}`
      );
    }
  }
  const options = {};
  let fn;
  switch (lossName) {
    case "mse":
      fn = mseLoss(path);
      break;
    case "mae":
      fn = maeLoss(path);
      break;
    case "huber": {
      const delta = given.delta === void 0 ? 1 : checkOption(given.delta, "huber delta", (v) => v > 0, "a positive number", path);
      options.delta = delta;
      fn = huberLoss(delta, path);
      break;
    }
    case "bce":
    case "multiLabelBce":
      fn = bceLoss(lossName, path);
      break;
    case "bceWithLogits":
      fn = bceWithLogitsLoss(path);
      break;
    case "crossEntropy": {
      const eps = given.labelSmoothing === void 0 ? 0 : checkOption(
        given.labelSmoothing,
        "labelSmoothing",
        (v) => v >= 0 && v <= 1,
        "between 0 and 1 (0.1 is usual)",
        path
      );
      options.labelSmoothing = eps;
      fn = crossEntropyLoss(eps, path);
      break;
    }
  }
  return { name: lossName, fn, ...META[lossName], custom: false, options };
}

// src/training/optimizers.ts
import * as tf9 from "@tensorflow/tfjs";
var OPTIMIZER_TYPES = ["sgd", "adam", "adamw", "rmsprop", "adagrad"];
var OPTION_KEYS2 = [
  "lr",
  "momentum",
  "dampening",
  "nesterov",
  "weightDecay",
  "betas",
  "eps",
  "alpha",
  "centered",
  "lrDecay",
  "initialAccumulatorValue"
];
var DEFAULTS = {
  sgd: { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
  adam: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 },
  adamw: { betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01 },
  rmsprop: { alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false },
  adagrad: { lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 }
};
var LR_HINT = {
  sgd: "0.01",
  adam: "0.001",
  adamw: "0.001",
  rmsprop: "0.01",
  adagrad: "0.01"
};
function usesOption(type, key) {
  return key === "lr" || key in DEFAULTS[type];
}
function fail(path, message) {
  throw new ReactNNError("option", path, message);
}
function checkNumber(value, name, ok, rule, path) {
  if (typeof value !== "number" || !Number.isFinite(value) || !ok(value)) {
    fail(path, `${name} must be ${rule} (got ${describe(value)})`);
  }
}
function checkBoolean(value, name, path) {
  if (typeof value !== "boolean") fail(path, `${name} must be true or false (got ${describe(value)})`);
}
function resolveConfig(given, path) {
  const type = given.type;
  if (typeof type !== "string" || !OPTIMIZER_TYPES.includes(type)) {
    fail(path, `unknown optimizer type ${describe(type)} \u2014 use ${listChoices(OPTIMIZER_TYPES)}`);
  }
  const t = type;
  for (const key of Object.keys(given)) {
    if (key !== "type" && !OPTION_KEYS2.includes(key)) {
      const hint = /^(learningRate|learning_rate|lr_?rate)$/i.test(key) ? ' (the learning rate is "lr")' : /^beta/i.test(key) ? " (Adam takes betas: [beta1, beta2])" : "";
      fail(
        path,
        `unknown optimizer option ${JSON.stringify(key)}${hint} \u2014 options are ${listChoices(["type", ...OPTION_KEYS2])}`
      );
    }
  }
  if (given.lr === void 0) fail(path, `lr is required \u2014 try lr: ${LR_HINT[t]} for ${t}`);
  checkNumber(given.lr, "lr", (v2) => v2 > 0, `a positive number \u2014 try ${LR_HINT[t]} for ${t}`, path);
  const v = given;
  if (v.momentum !== void 0) checkNumber(v.momentum, "momentum", (x) => x >= 0, "a number \u2265 0 (0.9 is usual)", path);
  if (v.dampening !== void 0)
    checkNumber(v.dampening, "dampening", (x) => x >= 0 && x <= 1, "between 0 and 1", path);
  if (v.nesterov !== void 0) checkBoolean(v.nesterov, "nesterov", path);
  if (v.weightDecay !== void 0) {
    checkNumber(v.weightDecay, "weightDecay", (x) => x >= 0, "a number \u2265 0 (1e-4 is usual)", path);
  }
  if (v.betas !== void 0) {
    const b = v.betas;
    const ok = Array.isArray(b) && b.length === 2 && b.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0 && x < 1);
    if (!ok) fail(path, `betas must be two numbers in [0, 1), like [0.9, 0.999] (got ${describe(b)})`);
  }
  if (v.eps !== void 0) checkNumber(v.eps, "eps", (x) => x > 0, "a positive number (1e-8 is usual)", path);
  if (v.alpha !== void 0) checkNumber(v.alpha, "alpha", (x) => x >= 0 && x < 1, "in [0, 1) (0.99 is usual)", path);
  if (v.centered !== void 0) checkBoolean(v.centered, "centered", path);
  if (v.lrDecay !== void 0) checkNumber(v.lrDecay, "lrDecay", (x) => x >= 0, "a number \u2265 0", path);
  if (v.initialAccumulatorValue !== void 0) {
    checkNumber(v.initialAccumulatorValue, "initialAccumulatorValue", (x) => x >= 0, "a number \u2265 0", path);
  }
  const resolved2 = { type: t, lr: given.lr, ...DEFAULTS[t] };
  for (const key of Object.keys(DEFAULTS[t])) {
    const value = v[key];
    if (value !== void 0) resolved2[key] = value;
  }
  if (Array.isArray(resolved2.betas)) resolved2.betas = Object.freeze([...resolved2.betas]);
  const config = resolved2;
  if (config.type === "sgd" && config.nesterov && (config.momentum <= 0 || config.dampening !== 0)) {
    fail(
      path,
      `nesterov needs momentum > 0 and dampening 0 (got momentum ${config.momentum}, dampening ${config.dampening}) \u2014 set momentum: 0.9, dampening: 0`
    );
  }
  return Object.freeze(config);
}
function familyOf(type) {
  return type === "adamw" ? "adam" : type;
}
function slotsOf(config) {
  switch (config.type) {
    case "sgd":
      return config.momentum !== 0 ? ["momentumBuffer"] : [];
    case "adam":
    case "adamw":
      return ["expAvg", "expAvgSq"];
    case "rmsprop":
      return [
        "squareAvg",
        ...config.momentum > 0 ? ["momentumBuffer"] : [],
        ...config.centered ? ["gradAvg"] : []
      ];
    case "adagrad":
      return ["sum"];
  }
}
function disposeState(state) {
  for (const v of state.slots.values()) v.dispose();
  state.slots.clear();
}
var Optimizer = class {
  #config;
  #given;
  #path;
  #state = /* @__PURE__ */ new Map();
  #external = null;
  #stepCount = 0;
  #disposed = false;
  /** @param path prefix for error messages, e.g. `createTrainer > optimizer`. */
  constructor(config, path = "createOptimizer") {
    if (config === null || typeof config !== "object" || Array.isArray(config)) {
      fail(path, `the optimizer must be an object like { type: 'adam', lr: 0.001 } (got ${describe(config)})`);
    }
    this.#path = path;
    this.#given = { ...config };
    this.#config = resolveConfig(this.#given, path);
  }
  /** The settings in effect, with torch's defaults filled in. */
  get config() {
    return this.#config;
  }
  /** How many times {@link Optimizer.step} has run. */
  get stepCount() {
    return this.#stepCount;
  }
  /** Options that were given but that the current type does not use (e.g. `momentum` for adam). */
  get unusedOptions() {
    return Object.keys(this.#given).filter(
      (k) => k !== "type" && this.#given[k] !== void 0 && !usesOption(this.#config.type, k)
    );
  }
  /**
   * Changes settings live; the next {@link Optimizer.step} uses them. Changing `type` keeps the
   * weights and the options you gave that the new type uses, and drops state the new type
   * cannot use (Adam ↔ AdamW keep their moments). An invalid change throws and changes nothing.
   */
  setConfig(partial) {
    if (partial === null || typeof partial !== "object" || Array.isArray(partial)) {
      fail(this.#path, `setConfig takes an object such as { lr: 0.001 } (got ${describe(partial)})`);
    }
    const oldType = this.#config.type;
    const newType = partial.type ?? oldType;
    let base = this.#given;
    if (newType !== oldType && typeof newType === "string" && OPTIMIZER_TYPES.includes(newType)) {
      base = Object.fromEntries(
        Object.entries(this.#given).filter(([k]) => k === "lr" || usesOption(newType, k))
      );
    }
    const given = { ...base, ...partial, type: newType };
    const config = resolveConfig(given, this.#path);
    this.#given = given;
    this.#config = config;
    const family = familyOf(config.type);
    const keep2 = new Set(slotsOf(config));
    for (const [key, state] of this.#state) {
      if (state.family !== family) {
        disposeState(state);
        this.#state.delete(key);
        continue;
      }
      for (const [slot, v] of state.slots) {
        if (!keep2.has(slot)) {
          v.dispose();
          state.slots.delete(slot);
        }
      }
    }
  }
  /**
   * One update of every parameter from its gradient, in place (`variable.assign`). Gradients
   * are read, not disposed. A parameter whose shape changed since its last step starts over
   * with fresh state.
   */
  step(params, grads) {
    const path = this.#path;
    if (this.#disposed) throw new ReactNNError("state", path, "step() after dispose() \u2014 create a new optimizer");
    if (!Array.isArray(params) || !Array.isArray(grads)) {
      fail(path, `step(params, grads) takes two arrays (got ${describe(params)} and ${describe(grads)})`);
    }
    if (params.length !== grads.length) {
      throw new ReactNNError(
        "shape",
        path,
        `step got ${params.length} parameters but ${grads.length} gradients \u2014 pass one gradient per parameter, in the same order`
      );
    }
    const seen = /* @__PURE__ */ new Set();
    params.forEach((p, i) => {
      const g = grads[i];
      if (!p || typeof p.key !== "string" || !(p.variable instanceof tf9.Variable)) {
        fail(
          path,
          `parameter ${i} must be { key: string, variable: tf.Variable, decay: boolean } (got ${describe(p)})`
        );
      }
      if (seen.has(p.key)) fail(path, `two parameters share the key ${JSON.stringify(p.key)} \u2014 keys must be unique`);
      seen.add(p.key);
      if (!(g instanceof tf9.Tensor))
        fail(path, `the gradient of ${JSON.stringify(p.key)} is not a tensor (got ${describe(g)})`);
      if (!sameShape2(g.shape, p.variable.shape)) {
        throw new ReactNNError(
          "shape",
          path,
          `the gradient of ${JSON.stringify(p.key)} has shape [${g.shape.join(", ")}] but the parameter has [${p.variable.shape.join(", ")}]`
        );
      }
    });
    this.#stepCount += 1;
    const config = this.#config;
    tf9.tidy(() => {
      params.forEach((p, i) => {
        const state = this.#stateFor(p, config);
        state.step += 1;
        update(config, state, p.variable, grads[i]);
      });
    });
  }
  /** Disposes the state of every parameter whose key is not in `liveKeys` (e.g. after a layer was removed). */
  prune(liveKeys) {
    for (const [key, state] of this.#state) {
      if (!liveKeys.has(key)) {
        disposeState(state);
        this.#state.delete(key);
      }
    }
  }
  /** The keys that have state, in the order they were first stepped. */
  stateKeys() {
    return [...this.#state.keys()];
  }
  /**
   * Steps taken per parameter key (torch's `state['step']`): shows which state survived a rebuild.
   * While a fused engine trains, its kernel holds the state, and this reports the kernel's counts.
   */
  paramSteps() {
    if (this.#external) return { ...this.#external };
    return Object.fromEntries([...this.#state].map(([k, s]) => [k, s.step]));
  }
  /**
   * The state of every parameter as plain arrays — what a fused engine starts from when it takes
   * over training from this optimizer. Only the slots the current settings read are included.
   */
  exportState() {
    const keep2 = new Set(slotsOf(this.#config));
    return [...this.#state].map(([key, st]) => {
      const slots = {};
      for (const [slot, v] of st.slots) if (keep2.has(slot)) slots[slot] = v.dataSync();
      return { key, step: st.step, shape: [...st.shape], slots };
    });
  }
  /**
   * Replaces all state with `states` (a fused engine handing training back): the inverse of
   * {@link exportState}. Slots are created as this optimizer's own variables.
   */
  importState(states) {
    checkExported(states, `${this.#path} > importState`);
    for (const state of this.#state.values()) disposeState(state);
    this.#state.clear();
    this.#external = null;
    const family = familyOf(this.#config.type);
    for (const e of states) {
      const state = { family, step: e.step, shape: [...e.shape], slots: /* @__PURE__ */ new Map() };
      for (const [slot, values] of Object.entries(e.slots)) {
        const initial = tf9.tensor(values, e.shape);
        state.slots.set(slot, tf9.variable(initial, false));
        initial.dispose();
      }
      this.#state.set(e.key, state);
    }
  }
  /**
   * @internal While a fused engine trains, the step counts its kernel reports (null: this
   * optimizer's own state is current again).
   */
  setExternalSteps(steps) {
    this.#external = steps;
  }
  /** Frees every state tensor. The optimizer cannot step afterwards. Safe to call twice. */
  dispose() {
    for (const state of this.#state.values()) disposeState(state);
    this.#state.clear();
    this.#disposed = true;
  }
  #stateFor(p, config) {
    const family = familyOf(config.type);
    const old = this.#state.get(p.key);
    if (old && old.family === family && sameShape2(old.shape, p.variable.shape)) return old;
    if (old) disposeState(old);
    const state = { family, step: 0, shape: [...p.variable.shape], slots: /* @__PURE__ */ new Map() };
    this.#state.set(p.key, state);
    return state;
  }
};
var SLOTS = ["momentumBuffer", "expAvg", "expAvgSq", "squareAvg", "gradAvg", "sum"];
function checkExported(states, path) {
  if (!Array.isArray(states)) fail(path, `expected an array like exportState() returns (got ${describe(states)})`);
  const keys = /* @__PURE__ */ new Set();
  states.forEach((e, i) => {
    const at = `entry ${i}${typeof e?.key === "string" && e.key !== "" ? ` (${JSON.stringify(e.key)})` : ""}`;
    if (!e || typeof e.key !== "string" || e.key === "") fail(path, `${at} needs a non-empty string key`);
    if (keys.has(e.key)) fail(path, `${at}: two entries share the key \u2014 keys must be unique`);
    keys.add(e.key);
    if (!Number.isInteger(e.step) || e.step < 0) {
      fail(path, `${at}: step must be an integer \u2265 0 (got ${describe(e.step)})`);
    }
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d > 0)) {
      fail(path, `${at}: shape must be an array of positive integers (got ${describe(e.shape)})`);
    }
    const size = e.shape.reduce((a, b) => a * b, 1);
    for (const [slot, values] of Object.entries(e.slots ?? {})) {
      if (!SLOTS.includes(slot)) fail(path, `${at}: unknown slot "${slot}" \u2014 slots are ${SLOTS.join(", ")}`);
      if (!(values instanceof Float32Array) || values.length !== size) {
        fail(path, `${at}: slot ${slot} must be a Float32Array of ${size} values for shape [${e.shape.join(", ")}]`);
      }
    }
  });
}
function sameShape2(a, b) {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
function setSlot(state, slot, value) {
  const v = state.slots.get(slot);
  if (v) {
    v.assign(value);
    return v;
  }
  const created = tf9.variable(value, false);
  state.slots.set(slot, created);
  return created;
}
function slotOr(state, slot, init) {
  return state.slots.get(slot) ?? init();
}
function emaSlot(state, slot, p, x, decay) {
  const prev = slotOr(state, slot, () => tf9.zerosLike(p));
  return setSlot(state, slot, tf9.add(tf9.mul(prev, decay), tf9.mul(x, 1 - decay)));
}
function update(config, state, p, grad) {
  const { lr, weightDecay: wd } = config;
  switch (config.type) {
    case "sgd": {
      let g = wd !== 0 ? tf9.add(grad, tf9.mul(p, wd)) : grad;
      const mu = config.momentum;
      if (mu !== 0) {
        const old = state.slots.get("momentumBuffer");
        const b = setSlot(state, "momentumBuffer", old ? tf9.add(tf9.mul(old, mu), tf9.mul(g, 1 - config.dampening)) : g);
        g = config.nesterov ? tf9.add(g, tf9.mul(b, mu)) : b;
      }
      p.assign(tf9.sub(p, tf9.mul(g, lr)));
      return;
    }
    case "adam":
    case "adamw": {
      const [b1, b2] = config.betas;
      const t = state.step;
      let theta = p;
      let g = grad;
      if (config.type === "adamw") {
        if (wd !== 0) theta = tf9.mul(p, 1 - lr * wd);
      } else if (wd !== 0) {
        g = tf9.add(grad, tf9.mul(p, wd));
      }
      const m = emaSlot(state, "expAvg", p, g, b1);
      const v = emaSlot(state, "expAvgSq", p, tf9.square(g), b2);
      const mHat = tf9.div(m, 1 - b1 ** t);
      const vHat = tf9.div(v, 1 - b2 ** t);
      p.assign(tf9.sub(theta, tf9.mul(tf9.div(mHat, tf9.add(tf9.sqrt(vHat), config.eps)), lr)));
      return;
    }
    case "rmsprop": {
      const { alpha, eps, momentum: mu } = config;
      const g = wd !== 0 ? tf9.add(grad, tf9.mul(p, wd)) : grad;
      const v = emaSlot(state, "squareAvg", p, tf9.square(g), alpha);
      let vTilde = v;
      if (config.centered) {
        const gAvg = emaSlot(state, "gradAvg", p, g, alpha);
        vTilde = tf9.sub(v, tf9.square(gAvg));
      }
      const scaled = tf9.div(g, tf9.add(tf9.sqrt(vTilde), eps));
      if (mu > 0) {
        const b = setSlot(
          state,
          "momentumBuffer",
          tf9.add(
            tf9.mul(
              slotOr(state, "momentumBuffer", () => tf9.zerosLike(p)),
              mu
            ),
            scaled
          )
        );
        p.assign(tf9.sub(p, tf9.mul(b, lr)));
      } else {
        p.assign(tf9.sub(p, tf9.mul(scaled, lr)));
      }
      return;
    }
    case "adagrad": {
      const t = state.step;
      const clr = lr / (1 + (t - 1) * config.lrDecay);
      const g = wd !== 0 ? tf9.add(grad, tf9.mul(p, wd)) : grad;
      const init = config.initialAccumulatorValue;
      const s = setSlot(
        state,
        "sum",
        tf9.add(
          slotOr(state, "sum", () => tf9.fill(p.shape, init)),
          tf9.square(g)
        )
      );
      p.assign(tf9.sub(p, tf9.mul(tf9.div(g, tf9.add(tf9.sqrt(s), config.eps)), clr)));
      return;
    }
  }
}
function createOptimizer(config, path = "createOptimizer") {
  return new Optimizer(config, path);
}
function checkGrads(grads, path) {
  if (!Array.isArray(grads) || !grads.every((g) => g instanceof tf9.Tensor)) {
    fail(path, `expected an array of gradient tensors (got ${describe(grads)})`);
  }
}
function globalNorm(grads, path = "globalNorm") {
  checkGrads(grads, path);
  return tf9.tidy(
    () => grads.length === 0 ? tf9.scalar(0) : tf9.sqrt(tf9.addN(grads.map((g) => tf9.sum(tf9.square(g)))))
  );
}
function clipGradNorm(grads, maxNorm, path = "clipGradNorm") {
  checkNumber(maxNorm, "clipGradNorm", (v) => v > 0, "a positive number (1.0 is usual)", path);
  checkGrads(grads, path);
  if (grads.length === 0) return [];
  return tf9.tidy(() => {
    const total = globalNorm(grads, path);
    const coef = tf9.minimum(tf9.div(maxNorm, tf9.add(total, 1e-6)), 1);
    return grads.map((g) => tf9.mul(g, coef));
  });
}
function clipGradValue(grads, value, path = "clipGradValue") {
  checkNumber(value, "clipGradValue", (v) => v > 0, "a positive number", path);
  checkGrads(grads, path);
  return grads.map((g) => tf9.clipByValue(g, -value, value));
}
function regularizationPenalty(params, options, path = "regularization") {
  if (options === null || typeof options !== "object") {
    fail(path, `regularization must be an object like { l2: 1e-4 } (got ${describe(options)})`);
  }
  const { l1 = 0, l2 = 0 } = options;
  checkNumber(l1, "l1", (v) => v >= 0, "a number \u2265 0 (1e-5 is usual)", path);
  checkNumber(l2, "l2", (v) => v >= 0, "a number \u2265 0 (1e-4 is usual)", path);
  if (!Array.isArray(params)) fail(path, `expected an array of parameters (got ${describe(params)})`);
  return tf9.tidy(() => {
    let total = tf9.scalar(0);
    for (const p of params) {
      if (!p.decay) continue;
      if (l1 > 0) total = tf9.add(total, tf9.mul(tf9.sum(tf9.abs(p.variable)), l1));
      if (l2 > 0) total = tf9.add(total, tf9.mul(tf9.sum(tf9.square(p.variable)), l2));
    }
    return total;
  });
}

// src/training/engines/tfjs.ts
import * as tf10 from "@tensorflow/tfjs";
var DECAYED = /(kernel|embeddings|weight_(ih|hh)_l\d+(_reverse)?)$/;
function paramsOf(model3) {
  return model3.trainableWeights.map((w) => ({
    key: w.originalName,
    variable: w.read(),
    decay: DECAYED.test(w.originalName)
  }));
}
function createTfjsEngine(reason = "every layer, loss and optimizer runs on tfjs") {
  let cachedModel = null;
  let params = [];
  return {
    info: { name: "tfjs", reason },
    step(model3, x, y, config) {
      if (model3 !== cachedModel) {
        cachedModel = model3;
        params = paramsOf(model3);
        config.optimizer.prune(new Set(params.map((p) => p.key)));
      }
      const live = params.filter((p) => !p.variable.isDisposed);
      let dataLoss = null;
      const { value, grads } = tf10.variableGrads(
        () => {
          const pred = model3.apply(x, { training: true });
          dataLoss = tf10.keep(config.loss.fn(y, pred));
          const reg = config.regularization;
          if (reg && ((reg.l1 ?? 0) > 0 || (reg.l2 ?? 0) > 0)) {
            return tf10.add(dataLoss, regularizationPenalty(live, reg));
          }
          return tf10.clone(dataLoss);
        },
        live.map((p) => p.variable)
      );
      value.dispose();
      let g = live.map((p) => grads[p.variable.name]);
      if (config.clipGradNorm !== void 0) {
        const clipped = clipGradNorm(g, config.clipGradNorm);
        tf10.dispose(g);
        g = clipped;
      }
      if (config.clipGradValue !== void 0) {
        const clipped = clipGradValue(g, config.clipGradValue);
        tf10.dispose(g);
        g = clipped;
      }
      config.optimizer.step(live, g);
      tf10.dispose(g);
      tf10.dispose(Object.values(grads));
      return dataLoss;
    },
    predict(model3, x, batchSize) {
      return tf10.tidy(() => model3.predict(x, { batchSize }));
    },
    dispose() {
      cachedModel = null;
      params = [];
    }
  };
}

// src/reconciler/renderer.ts
import { Fragment, isValidElement } from "react";
import Reconciler from "react-reconciler";
import { ConcurrentRoot } from "react-reconciler/constants.js";

// src/reconciler/hostConfig.ts
import { createContext } from "react";
import { DefaultEventPriority, NoEventPriority } from "react-reconciler/constants.js";

// src/reconciler/nodes.ts
function createContainerInfo(onCommit) {
  return { children: [], dirty: false, onCommit };
}
var RESERVED = /* @__PURE__ */ new Set(["children", "key", "ref"]);
function stripProps(props) {
  const out = {};
  for (const k of Object.keys(props)) if (!RESERVED.has(k)) out[k] = props[k];
  return out;
}
function shallowEqual(a, b) {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is(a[k], b[k]) || sameArray(a[k], b[k]));
}
function sameArray(a, b) {
  return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}
function insert(list, child, before) {
  const at = list.indexOf(child);
  if (at !== -1) list.splice(at, 1);
  const idx = before ? list.indexOf(before) : -1;
  if (idx === -1) list.push(child);
  else list.splice(idx, 0, child);
}
function remove(list, child) {
  const at = list.indexOf(child);
  if (at !== -1) list.splice(at, 1);
}
var isBlank = (n) => n.kind === "text" && n.text.trim() === "";
function snapshot(container) {
  const top = container.children.filter((c) => !c.hidden && !isBlank(c)).map(freeze);
  if (top.length === 0) return null;
  if (top.length === 1) return top[0];
  return { type: "Sequential", props: {}, key: null, children: top };
}
function freeze(n) {
  if (n.kind === "text") return { type: "#text", props: {}, key: null, children: [], text: n.text };
  return {
    type: n.type,
    props: n.props,
    key: n.key,
    children: n.children.filter((c) => !c.hidden && !isBlank(c)).map(freeze)
  };
}
function sameTree(a, b) {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.type !== b.type || a.key !== b.key || a.text !== b.text || a.children.length !== b.children.length)
    return false;
  if (!shallowEqual(a.props, b.props)) return false;
  return a.children.every((c, i) => sameTree(c, b.children[i]));
}

// src/reconciler/hostConfig.ts
function markDirty(container) {
  container.dirty = true;
}
function createInstance(type, props, container, _ctx, fiber) {
  return {
    kind: "layer",
    type,
    props: stripProps(props),
    key: fiber?.key ?? null,
    text: "",
    children: [],
    parent: null,
    hidden: false,
    container
  };
}
function createTextInstance(text, container) {
  return {
    kind: "text",
    type: "#text",
    props: {},
    key: null,
    text,
    children: [],
    parent: null,
    hidden: false,
    container
  };
}
function appendChild(parent, child) {
  insert(parent.children, child, null);
  child.parent = parent;
  markDirty(parent.container);
}
function insertBefore(parent, child, before) {
  insert(parent.children, child, before);
  child.parent = parent;
  markDirty(parent.container);
}
function removeChild(parent, child) {
  remove(parent.children, child);
  child.parent = null;
  markDirty(parent.container);
}
function appendChildToContainer(container, child) {
  insert(container.children, child, null);
  child.parent = container;
  markDirty(container);
}
function insertInContainerBefore(container, child, before) {
  insert(container.children, child, before);
  child.parent = container;
  markDirty(container);
}
function removeChildFromContainer(container, child) {
  remove(container.children, child);
  child.parent = null;
  markDirty(container);
}
function commitUpdate(instance, _type, _prev, next) {
  const props = stripProps(next);
  if (shallowEqual(instance.props, props)) return;
  instance.props = props;
  markDirty(instance.container);
}
function commitTextUpdate(instance, _old, text) {
  if (instance.text === text) return;
  instance.text = text;
  markDirty(instance.container);
}
function resetAfterCommit(container) {
  if (!container.dirty) return;
  container.dirty = false;
  container.onCommit(snapshot(container));
}
function setHidden(instance, hidden) {
  if (instance.hidden === hidden) return;
  instance.hidden = hidden;
  markDirty(instance.container);
}
var currentUpdatePriority = NoEventPriority;
var unsupported = (what) => () => {
  throw new Error(`react-nn: ${what} is not supported inside a model`);
};
var noop = () => {
};
var hostConfig = {
  // --- Renderer identity ---
  rendererPackageName: "react-nn",
  rendererVersion: "0.1.0",
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
  getRootHostContext: () => ({}),
  getChildHostContext: (parent) => parent,
  getPublicInstance: (instance) => instance,
  prepareForCommit: () => null,
  resetAfterCommit,
  preparePortalMount: noop,
  commitMount: noop,
  detachDeletedInstance: noop,
  // instances own no resources; the runtime disposes per model
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
  clearContainer: (container) => {
    if (container.children.length === 0) return;
    container.children = [];
    markDirty(container);
  },
  hideInstance: (i) => setHidden(i, true),
  unhideInstance: (i) => setHidden(i, false),
  hideTextInstance: (i) => setHidden(i, true),
  unhideTextInstance: (i, _text) => setHidden(i, false),
  resetFormInstance: noop,
  // --- Scheduling and priorities (react-reconciler 0.34 / React 19) ---
  scheduleTimeout: setTimeout,
  cancelTimeout: clearTimeout,
  noTimeout: -1,
  scheduleMicrotask: (fn) => queueMicrotask(fn),
  setCurrentUpdatePriority: (p) => {
    currentUpdatePriority = p;
  },
  getCurrentUpdatePriority: () => currentUpdatePriority,
  // Must return what setCurrentUpdatePriority stored, else sync updates lose their lane.
  resolveUpdatePriority: () => currentUpdatePriority !== NoEventPriority ? currentUpdatePriority : DefaultEventPriority,
  resolveEventType: () => null,
  resolveEventTimeStamp: () => -1.1,
  trackSchedulerEvent: noop,
  // facebook/react#31528
  shouldAttemptEagerTransition: () => false,
  requestPostPaintCallback: noop,
  getInstanceFromNode: () => null,
  beforeActiveInstanceBlur: noop,
  afterActiveInstanceBlur: noop,
  prepareScopeUpdate: noop,
  getInstanceFromScope: () => null,
  bindToConsole: (method, args) => Function.prototype.bind.apply(console[method], [console, ...args]),
  // --- Transitions (facebook/react#28751) ---
  NotPendingTransition: null,
  HostTransitionContext: createContext(null),
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
  cloneRootViewTransitionContainer: unsupported("view transitions"),
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
  cloneInstance: unsupported("persistent mode"),
  cloneMutableInstance: unsupported("persistent mode"),
  cloneMutableTextInstance: unsupported("persistent mode"),
  createContainerChildSet: unsupported("persistent mode"),
  appendChildToContainerChildSet: unsupported("persistent mode"),
  finalizeContainerChildren: unsupported("persistent mode"),
  replaceContainerChildren: unsupported("persistent mode"),
  cloneHiddenInstance: unsupported("persistent mode"),
  cloneHiddenTextInstance: unsupported("persistent mode"),
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
  hydrateInstance: unsupported("hydration"),
  hydrateTextInstance: unsupported("hydration"),
  hydrateActivityInstance: unsupported("hydration"),
  hydrateSuspenseInstance: unsupported("hydration"),
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
  hydrateHoistable: unsupported("hoistables"),
  mountHoistable: noop,
  unmountHoistable: noop,
  createHoistableInstance: unsupported("hoistables"),
  prepareToCommitHoistables: noop,
  isHostSingletonType: () => false,
  isSingletonScope: () => false,
  resolveSingletonInstance: unsupported("singletons"),
  acquireSingletonInstance: noop,
  releaseSingletonInstance: noop
};
var HOST_CONFIG_KEYS = Object.keys(hostConfig);

// src/reconciler/renderer.ts
var reconciler = Reconciler(hostConfig);
function createNNRoot(listener, options = {}) {
  let react = null;
  let last = null;
  return {
    render(element) {
      if (!react) {
        const tree = staticTree(element);
        if (tree !== void 0) {
          if (!sameTree(last, tree)) {
            last = tree;
            listener.onGraph(tree);
          }
          return;
        }
        react = createReactRoot(listener, options);
      }
      react.render(element);
    },
    unmount() {
      last = null;
      react?.unmount();
    }
  };
}
function createReactRoot(listener, options) {
  let pending = null;
  let errors = [];
  let scheduled = false;
  let rendering = false;
  const deliver = () => {
    scheduled = false;
    const failed = errors;
    const next = pending;
    errors = [];
    pending = null;
    if (failed.length > 0) {
      listener.onError(failed[0]);
      return failed[0];
    }
    if (next) listener.onGraph(next.root);
    return null;
  };
  const schedule = () => {
    if (rendering || scheduled) return;
    scheduled = true;
    queueMicrotask(deliver);
  };
  const container = createContainerInfo((root) => {
    pending = { root };
    schedule();
  });
  const fiberRoot = reconciler.createContainer(
    container,
    ConcurrentRoot,
    null,
    options.strict ?? false,
    null,
    "react-nn",
    (error) => {
      errors.push(error);
      schedule();
    },
    () => {
    },
    // caught by the user's own error boundary: theirs to report
    () => {
    },
    // recovered by React's retry
    () => {
    },
    null
  );
  return {
    render(element) {
      rendering = true;
      try {
        reconciler.updateContainerSync(element, fiberRoot, null, null);
        reconciler.flushSyncWork();
      } finally {
        rendering = false;
      }
      const error = deliver();
      if (error) throw error;
    },
    unmount() {
      rendering = true;
      try {
        reconciler.updateContainerSync(null, fiberRoot, null, null);
        reconciler.flushSyncWork();
      } finally {
        rendering = false;
        pending = null;
        errors = [];
      }
    }
  };
}
function staticTree(element) {
  const top = staticChildren(element, []);
  if (!top) return void 0;
  if (top.length === 0) return null;
  if (top.length === 1) return top[0];
  return { type: "Sequential", props: {}, key: null, children: top };
}
function staticChildren(node, out) {
  if (node === null || node === void 0 || typeof node === "boolean") return out;
  if (typeof node === "string" || typeof node === "number") {
    const text = String(node);
    if (text.trim() !== "") out.push({ type: "#text", props: {}, key: null, children: [], text });
    return out;
  }
  if (Array.isArray(node)) {
    for (const child of node) if (!staticChildren(child, out)) return void 0;
    return out;
  }
  if (!isValidElement(node)) return void 0;
  const el = node;
  if (el.type === Fragment) return staticChildren(el.props.children, out);
  if (typeof el.type !== "string") return void 0;
  const children = staticChildren(el.props.children, []);
  if (!children) return void 0;
  out.push({ type: el.type, props: stripProps(el.props), key: el.key ?? null, children });
  return out;
}

// src/react/renderModel.ts
async function renderModel(element, options = {}) {
  const net = new Net(options);
  let lastError = null;
  const root = createNNRoot(
    {
      onGraph: (graph) => {
        lastError = net.commit(graph);
      },
      onError: (e) => {
        lastError = net.reportError(e);
      }
    },
    { strict: options.strict ?? false }
  );
  const render = (el) => {
    lastError = null;
    try {
      root.render(el);
    } catch {
    }
    if (lastError) throw lastError;
  };
  try {
    render(element);
    await net.ready();
  } catch (e) {
    root.unmount();
    net.dispose();
    throw e;
  }
  return {
    net,
    get model() {
      return net.getSnapshot().model;
    },
    summary: () => net.summary(),
    update: async (el) => {
      render(el);
      await net.ready();
    },
    predict: (x) => net.predict(x),
    dispose: () => {
      root.unmount();
      net.dispose();
    }
  };
}

// .prof/p.tsx
import { jsx, jsxs } from "react/jsx-runtime";
async function main() {
  await tf11.setBackend("cpu");
  const net = await renderModel(/* @__PURE__ */ jsxs(Sequential, { children: [
    /* @__PURE__ */ jsx(Linear, { outFeatures: 128 }),
    /* @__PURE__ */ jsx(ReLU, {}),
    /* @__PURE__ */ jsx(Linear, { outFeatures: 10 })
  ] }), { inputShape: [784], backend: "cpu", seed: 1 });
  const x = tf11.randomUniform([64, 784]);
  const y = tf11.tensor1d(Array.from({ length: 64 }, (_, i) => i % 10), "float32");
  const eng = createTfjsEngine();
  const config = { loss: resolveLoss("crossEntropy"), optimizer: createOptimizer({ type: "sgd", lr: 0.03 }), regularization: void 0, clipGradNorm: void 0, clipGradValue: void 0 };
  eng.step(net.model, x, y, config).dispose();
  const p1 = await tf11.profile(() => {
    eng.step(net.model, x, y, config).dispose();
  });
  console.log("react-nn step kernels", p1.kernels.length, p1.kernels.map((k) => k.name).join(" "));
  const model3 = tf11.sequential();
  model3.add(tf11.layers.dense({ inputShape: [784], units: 128, activation: "relu" }));
  model3.add(tf11.layers.dense({ units: 10 }));
  const yh = tf11.oneHot(tf11.cast(y, "int32"), 10);
  model3.compile({ optimizer: tf11.train.sgd(0.03), loss: (a, b) => tf11.losses.softmaxCrossEntropy(a, b) });
  await model3.fit(x, yh, { batchSize: 64, epochs: 1, verbose: 0 });
  const p2 = await tf11.profile(async () => {
    await model3.fit(x, yh, { batchSize: 64, epochs: 1, verbose: 0, shuffle: false });
  });
  console.log("model.fit 1 step kernels", p2.kernels.length, p2.kernels.map((k) => k.name).join(" "));
}
main();
