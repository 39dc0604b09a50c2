// One Kubernetes object against its schema: kubernetes-models' validator for its apiVersion and kind (the JSON
// schemas of the Kubernetes API's OpenAPI document, compiled by ajv), then a strict pass that the schemas alone do
// not make: they allow any extra field, as the API server's own schemas do, while `kubectl apply` refuses an
// unknown field (field validation Strict) and a misspelt one would otherwise pass unseen (completionmode: Indexed).
//
// The strict pass reads what the validator reads: the object goes to it behind a Proxy that records, per mapping,
// the keys the validator looked up. A compiled validator looks up every property its schema names, and every key of
// a map (labels, ConfigMap data), so a key it never looked up is one the schema does not know. A mapping inside a
// value that failed its own check is not judged again.

const SAFE_VERSION = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+([a-z]+[0-9]+)?$/;
const SAFE_KIND = /^[A-Z][A-Za-z0-9]*$/;

/** The model class of apiVersion/kind, or null when kubernetes-models has none. */
async function model(apiVersion, kind) {
  if (!SAFE_VERSION.test(apiVersion) || !SAFE_KIND.test(kind)) return null;
  try {
    const mod = await import(`kubernetes-models/${apiVersion}/${kind}`);
    return mod[kind] ?? null;
  } catch (e) {
    if (e.code === "ERR_MODULE_NOT_FOUND") return null;
    throw e;
  }
}

/** A view of {@code value} that records, in {@code read}, the keys looked up in each mapping. */
function tracked(value, read) {
  if (value === null || typeof value !== "object") return value;
  let keys = read.get(value);
  if (!keys) read.set(value, (keys = new Set()));
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") keys.add(key);
      return tracked(Reflect.get(target, key, receiver), read);
    },
  });
}

/** "/spec/template/spec" as "spec.template.spec". */
function dotted(instancePath) {
  return instancePath.replace(/^\//, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).join(".");
}

function unknownFields(node, path, read, out) {
  if (node === null || typeof node !== "object") return;
  const keys = read.get(node);
  if (!keys) return; // not reached: its parent failed already
  if (Array.isArray(node)) {
    node.forEach((v, i) => unknownFields(v, path.concat(String(i)), read, out));
    return;
  }
  for (const k of Object.keys(node)) {
    if (!keys.has(k)) out.push(`${path.concat(k).join(".")}: unknown field (not in the schema)`);
    else unknownFields(node[k], path.concat(k), read, out);
  }
}

export const models = {
  /** The problems of one object (none: valid), or null when its apiVersion/kind is not known. */
  async validate(obj) {
    const Model = await model(obj.apiVersion, obj.kind);
    if (!Model) return null;
    const read = new Map();
    const problems = [];
    try {
      Model.prototype.validate.call(tracked(obj, read));
    } catch (e) {
      if (!Array.isArray(e.errors)) throw e;
      for (const err of e.errors) {
        const where = dotted(err.instancePath);
        problems.push(`${where || "(the object)"}: ${err.message}`);
      }
    }
    // apiVersion and kind chose the schema; the rest must be in it
    const rootKeys = read.get(obj);
    rootKeys.add("apiVersion").add("kind");
    unknownFields(obj, [], read, problems);
    return problems;
  },
};
