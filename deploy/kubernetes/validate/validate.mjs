#!/usr/bin/env node
// Validates Kubernetes manifests against the Kubernetes API's schemas, as kubernetes-models (npm) carries them, and
// strictly: a field the schema does not know is an error, as `kubectl apply` (field validation Strict) makes it.
//
//   node deploy/kubernetes/validate/validate.mjs deploy/kubernetes        # a kustomization folder
//   node deploy/kubernetes/validate/validate.mjs job.yaml pvc.yaml        # files of YAML documents
//
// A folder is read as kustomize reads ours: every file of its kustomization.yaml's resources, and the ConfigMaps its
// configMapGenerator makes (from files and env files). A kustomization field this script does not apply (patches,
// ...) is an error, not silently passed over. Prints one line per object, `FILE: Kind name: valid` or
// `FILE: Kind name: field.path: what is wrong`; exits 0 when all are valid, 1 when one is not, 2 on unreadable input.
// bin/test-tools installs its packages (npm ci); KubernetesValidatorTest runs it.
import { readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { parseAllDocuments } from "yaml";
import { models } from "./models.mjs";

let invalid = 0;
let unreadable = 0;
let objects = 0;

function say(file, what, problem) {
  const shown = relative(process.cwd(), file) || file;
  console.log(`${shown}: ${what}: ${problem ?? "valid"}`);
}

/** The YAML documents of a file; a YAML error is reported and counts as unreadable. */
function documents(file) {
  let text;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    console.log(`${file}: cannot be read: ${e.code === "ENOENT" ? "no such file" : e.message}`);
    unreadable++;
    return [];
  }
  const docs = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) {
      for (const e of d.errors) console.log(`${file}:${e.linePos?.[0]?.line ?? "?"}: not YAML: ${e.message.split("\n")[0]}`);
      unreadable++;
      continue;
    }
    const v = d.toJS();
    if (v !== null && v !== undefined) docs.push(v);
  }
  return docs;
}

async function check(file, obj) {
  objects++;
  if (typeof obj !== "object" || Array.isArray(obj)) {
    say(file, "document", "not a Kubernetes object (a mapping with apiVersion and kind)");
    invalid++;
    return;
  }
  const name = obj?.metadata?.name ?? "(no name)";
  const what = `${obj.kind ?? "(no kind)"} ${name}`;
  if (typeof obj.apiVersion !== "string" || typeof obj.kind !== "string") {
    say(file, what, "apiVersion and kind are required");
    invalid++;
    return;
  }
  const problems = await models.validate(obj);
  if (problems === null) {
    say(file, what, `unknown apiVersion/kind ${obj.apiVersion} ${obj.kind} (not in the Kubernetes API this validator knows)`);
    invalid++;
    return;
  }
  if (problems.length === 0) say(file, what);
  for (const p of problems) say(file, what, p);
  if (problems.length) invalid++;
}

/** KEY=VALUE lines, as kustomize reads an env file; blank lines and # comments skipped. */
function envFile(file, problems) {
  const data = {};
  for (const [i, line] of readFileSync(file, "utf8").split("\n").entries()) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) problems.push(`${file}:${i + 1}: not KEY=VALUE: ${line}`);
    else data[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return data;
}

const KUSTOMIZATION_FIELDS = new Set(["apiVersion", "kind", "resources", "configMapGenerator", "generatorOptions", "images"]);

async function folder(dir) {
  const kfile = join(dir, "kustomization.yaml");
  const before = unreadable;
  const [k] = documents(kfile);
  if (!k) {
    if (unreadable === before) {
      console.log(`${kfile}: empty`);
      unreadable++;
    }
    return;
  }
  for (const f of Object.keys(k))
    if (!KUSTOMIZATION_FIELDS.has(f)) {
      say(kfile, "Kustomization", `${f}: not applied by this validator (it reads ${[...KUSTOMIZATION_FIELDS].join(", ")})`);
      invalid++;
    }
  for (const r of k.resources ?? []) {
    const f = join(dir, r);
    let isDir = false;
    try {
      isDir = statSync(f).isDirectory();
    } catch {
      // documents() says that it is missing
    }
    if (isDir) await folder(f);
    else for (const d of documents(f)) await check(f, d);
  }
  for (const g of k.configMapGenerator ?? []) {
    const problems = [];
    const data = {};
    try {
      for (const spec of g.files ?? []) {
        const [key, path] = spec.includes("=") ? spec.split("=", 2) : [basename(spec), spec];
        data[key] = readFileSync(join(dir, path), "utf8");
      }
      for (const e of g.envs ?? []) Object.assign(data, envFile(join(dir, e), problems));
      for (const l of g.literals ?? []) {
        const eq = l.indexOf("=");
        data[l.slice(0, eq)] = l.slice(eq + 1);
      }
    } catch (e) {
      problems.push(`a file it reads: ${e.code === "ENOENT" ? "no such file: " + e.path : e.message}`);
    }
    if (problems.length) {
      for (const p of problems) say(kfile, `configMapGenerator ${g.name}`, p);
      invalid++;
      continue;
    }
    await check(kfile, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: g.name }, data });
  }
}

const args = process.argv.slice(2);
if (args.length === 0) {
  console.error("usage: validate.mjs FILE.yaml|KUSTOMIZATION_DIR...");
  process.exit(2);
}
for (const a of args) {
  let isDir = false;
  try {
    isDir = statSync(a).isDirectory();
  } catch {
    // documents() says that it is missing
  }
  if (isDir) await folder(a);
  else for (const d of documents(a)) await check(a, d);
}
console.log(`${objects} object(s): ${objects - invalid} valid, ${invalid} invalid${unreadable ? `, ${unreadable} unreadable input(s)` : ""}`);
process.exit(unreadable ? 2 : invalid ? 1 : 0);
