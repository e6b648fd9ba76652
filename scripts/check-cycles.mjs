// `npm run check:cycles`: fails when any import cycle exists among src/ modules, type-only
// imports and re-exports included (esbuild's metafile cannot see those: they are erased). Uses
// TypeScript's own import scanner, so no extra dependency. Prints each cycle found.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(process.argv[2] ?? 'src');
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.tsx?$/.test(name) && !/\.d\.ts$/.test(name)) files.push(p);
  }
})(root);
const known = new Set(files);

/** Relative imports of a file, resolved to .ts files of the tree. */
function deps(file) {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName).replace(/\.js$/, '');
    const hit = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((c) => known.has(c));
    if (hit) out.push(hit);
  }
  return out;
}

const graph = new Map(files.map((f) => [f, deps(f)]));
const state = new Map(); // 1: on the stack, 2: done
const stack = [];
const cycles = [];
function visit(f) {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f)) {
    if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d]);
    else if (!state.get(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
}
for (const f of files) if (!state.get(f)) visit(f);

const rel = (f) => relative(process.cwd(), f);
if (cycles.length) {
  for (const c of cycles) console.error(`import cycle: ${c.map(rel).join(' → ')}`);
  console.error(`check-cycles: ${cycles.length} cycle(s) in ${rel(root)}/`);
  process.exit(1);
}
console.log(
  `check-cycles: ${files.length} modules in ${rel(root)}/, no import cycle (type imports included)`,
);
