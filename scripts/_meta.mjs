import { build } from 'esbuild';
import { join } from 'node:path';
import { minifyTemplatesPlugin } from './minify-templates.mjs';
const alias = {
  name: 'a',
  setup(b) {
    b.onResolve({ filter: /^\.\/bundled-engine\.js$/ }, (args) =>
      /session$/.test(args.resolveDir)
        ? { path: join(args.resolveDir, 'bundled-engine.static.ts') }
        : undefined,
    );
  },
};
const r = await build({
  entryPoints: ['src/all.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  metafile: true,
  outfile: '/tmp/x.js',
  plugins: [alias, minifyTemplatesPlugin],
});
const out = Object.values(r.metafile.outputs)[0];
console.log(
  Object.entries(out.inputs)
    .filter(([p]) => p.startsWith('src/core'))
    .map(([p, v]) => p + ' ' + v.bytesInOutput)
    .join('\n'),
);
