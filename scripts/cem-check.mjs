// Regenerates the Custom Elements Manifest into a temporary folder and compares it with the
// committed custom-elements.json: CI fails when a component changed without `npm run analyze`.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

// the analyzer resolves --outdir against the working directory, so the scratch folder is local
const out = '.cem-check';
try {
  execFileSync(
    process.execPath,
    ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--outdir', out],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const fresh = readFileSync(join(out, 'custom-elements.json'), 'utf8');
  let committed = '';
  try {
    committed = readFileSync('custom-elements.json', 'utf8');
  } catch {
    /* missing */
  }
  // the analyzer lists modules in file-system order, which differs between machines
  const canonical = (text) => {
    const manifest = JSON.parse(text);
    manifest.modules.sort((a, b) => a.path.localeCompare(b.path));
    return JSON.stringify(manifest);
  };
  if (!committed || canonical(fresh) !== canonical(committed)) {
    console.error('custom-elements.json is stale: run "npm run analyze" and commit it.');
    process.exitCode = 1;
  } else console.log('custom-elements.json is current.');
} finally {
  rmSync(out, { recursive: true, force: true });
}
