// Builds dist/ from src/: one ESM file per TypeScript module (no bundling), so the dev gateway
// runs from dist/gateway/cli.js and the browser code can be served unbundled or bundled later.
import { build } from 'esbuild';
import { readdir, rm, chmod, access, mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { minify as terser } from 'terser';
import { minifyTemplatesPlugin } from './minify-templates.mjs';

async function sources(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await sources(path)));
    else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
    )
      out.push(path);
  }
  return out;
}

const started = Date.now();
await rm('dist', { recursive: true, force: true });
const entryPoints = await sources('src');
await build({
  entryPoints,
  outdir: 'dist',
  outbase: 'src',
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  logLevel: 'warning',
});
await chmod('dist/gateway/cli.js', 0o755);

/**
 * The whole kit is one file that contains our SDK anyway, so there the core's door to the SDK
 * (src/core/bundled-engine.ts: lazy `import()`s for the unbundled dist/core, where they avoid
 * loading the SDK for apps that bring their own engine) is replaced by its static twin,
 * bundled-engine.static.ts. Same code, evaluated at load instead of first use; it spares the
 * lazy-module wrappers esbuild would otherwise put around the whole SDK. A resolve alias: no
 * source text is rewritten.
 */
const BUNDLED_ENGINE = join('src', 'core', 'bundled-engine.js');
let staticSdkAliased = false;
const staticBundledSdk = {
  name: 'static-bundled-sdk',
  setup(b) {
    b.onResolve({ filter: /bundled-engine\.js$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      if (!target.endsWith(BUNDLED_ENGINE)) return undefined;
      staticSdkAliased = true;
      return { path: target.replace(/\.js$/, '.static.ts') };
    });
  },
};

/**
 * In the kit bundle, `import('./locales/de.js')` loads dist/ipo-webrtc-kit.de.js at run time,
 * `import('./template-strings.js')` (the markup-override parser) dist/ipo-webrtc-kit.template-strings.js,
 * and `import('./diagnose-probe.js')` (the connection-failure probe, needed only after a failed
 * login) dist/ipo-webrtc-kit.diagnose-probe.js. A module's relative `import()` resolves against
 * the bundle's own URL, so a page on another origin loading the bundle from the gateway finds them.
 */
const externalLocales = {
  name: 'external-locales',
  setup(b) {
    const i18n = /[\\/]src[\\/]i18n[\\/](shipped|localize)\.ts$/;
    const core = /[\\/]src[\\/]core[\\/]diagnose\.ts$/;
    const external = (args) => ({
      path: `./ipo-webrtc-kit.${args.path.split('/').pop().slice(0, -3)}.js`,
      external: true,
    });
    b.onResolve({ filter: /^\.\/(locales\/[a-z-]+|template-strings)\.js$/i }, (args) =>
      i18n.test(args.importer) && args.kind === 'dynamic-import' ? external(args) : undefined,
    );
    b.onResolve({ filter: /^\.\/diagnose-probe\.js$/ }, (args) =>
      core.test(args.importer) && args.kind === 'dynamic-import' ? external(args) : undefined,
    );
  },
};

// Drop-in bundles for <script> tags (one file each, minified).
const bundles = [
  // the AWL-compatible SDK: window.AWL and window.CONST, a replacement for the vendor's awl.min.js
  { entry: 'src/sdk/awl/global.ts', outfile: 'dist/awl.min.js', format: 'iife', plugins: [] },
  // the whole kit for one <script type="module"> tag: every element, the SDK and lit; each shipped
  // translation is its own file next to it (see below), fetched by import() only when an element's
  // language needs it
  {
    entry: 'src/all.ts',
    outfile: 'dist/ipo-webrtc-kit.js',
    format: 'esm',
    plugins: [staticBundledSdk, externalLocales],
  },
];
let built = 0;
for (const b of bundles) {
  const present = await access(b.entry).then(
    () => true,
    () => false,
  );
  if (!present) continue;
  const { metafile, outputFiles } = await build({
    entryPoints: [b.entry],
    outfile: b.outfile,
    metafile: true,
    write: false,
    bundle: true,
    minify: true,
    format: b.format,
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'external',
    legalComments: 'none',
    logLevel: 'warning',
    // lit templates and styles without their source indentation (see minify-templates.mjs)
    plugins: [...b.plugins, minifyTemplatesPlugin],
  });
  // A second pass with terser: its compressor and frequency-ordered mangling save another
  // ~1.3 KiB gzip on the kit that esbuild's single pass leaves (the source map is carried over).
  const code = outputFiles.find((f) => f.path.endsWith('.js')).text;
  const map = outputFiles.find((f) => f.path.endsWith('.js.map')).text;
  const mapName = `${basename(b.outfile)}.map`;
  const out = await terser(code, {
    module: b.format === 'esm',
    ecma: 2020,
    compress: { passes: 1 },
    mangle: true,
    format: { comments: false },
    sourceMap: { content: map, url: mapName },
  });
  await writeFile(b.outfile, out.code);
  await writeFile(join(dirname(b.outfile), mapName), out.map);
  // which source bytes the bundle carries (`npm run bench kit` prints it by folder); not shipped
  await mkdir('build/bundle-meta', { recursive: true });
  await writeFile(
    join('build/bundle-meta', `${basename(b.outfile, '.js')}.json`),
    JSON.stringify(metafile),
  );
  built++;
}
if (!staticSdkAliased)
  throw new Error('build: the kit bundle no longer imports src/core/bundled-engine.js');
// The shipped translations for the kit bundle: dist/ipo-webrtc-kit.<lang>.js, one standalone module
// each (plain data, nothing shared with the bundle), found relative to the bundle's own URL; and
// the markup-override parser (takes what it needs from the bundle as arguments); and the
// connection-failure probe (no run-time import at all).
const locales = (await readdir('src/i18n/locales')).filter((f) => /^[a-z-]+\.ts$/i.test(f));
await build({
  entryPoints: [
    ...locales.map((f) => `src/i18n/locales/${f}`),
    'src/i18n/template-strings.ts',
    'src/core/diagnose-probe.ts',
  ],
  outdir: 'dist',
  entryNames: 'ipo-webrtc-kit.[name]',
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
// Type declarations for the npm package (dist/**/*.d.ts); `--types=false` skips them for quick loops.
if (!process.argv.includes('--types=false')) {
  const { execFileSync } = await import('node:child_process');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
console.log(
  `build: ${entryPoints.length} modules → dist/, ${built} bundle(s), types, in ${Date.now() - started} ms`,
);
