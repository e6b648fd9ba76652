// Builds the framework embedding demos into dist/demos/ (run after scripts/build.mjs):
//   dist/demos/react.js    demo/react/main.tsx: React 19 + the kit's @lit/react wrappers (src/react)
//   dist/demos/vue.js      demo/vue.js + demo/vue/app.html: Vue's runtime-only build; the template
//                          is compiled to a render function here, with isCustomElement for ipo-*
//   dist/demos/angular.js  demo/angular/src: compiled ahead of time with ngc (no CLI), Angular's
//                          partially compiled packages linked with the Angular linker (Babel)
// Every bundle runs under the gateway's CSP (default-src 'self': no inline script, no eval):
// no template compiler, no JIT, no zone.js ships to the browser.
import { build } from 'esbuild';
import { readFile, rm, mkdir } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const started = Date.now();
const OUT = 'dist/demos';
const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const want = (name) => only.length === 0 || only.includes(name);
await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });

const common = {
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  // the kit's sources are TypeScript with legacy decorators, as in the main build
  tsconfig: 'tsconfig.json',
};

/** `import { render } from './x.html'`: a Vue template compiled at build time. */
const vueTemplates = {
  name: 'vue-template',
  setup(b) {
    b.onLoad({ filter: /[\\/]demo[\\/]vue[\\/].*\.html$/ }, async (args) => {
      const { compileTemplate } = await import('vue/compiler-sfc');
      const source = await readFile(args.path, 'utf8');
      const out = compileTemplate({
        source,
        filename: args.path,
        id: 'ipo-vue-demo',
        isProd: true,
        compilerOptions: {
          // the kit's tags are custom elements, not Vue components
          isCustomElement: (tag) => tag.startsWith('ipo-'),
          comments: false,
        },
      });
      if (out.errors.length)
        return { errors: out.errors.map((e) => ({ text: String(e.message ?? e) })) };
      return { contents: out.code, loader: 'js', resolveDir: resolve(args.path, '..') };
    });
  },
};

/** Links Angular's partially compiled packages (ɵɵngDeclare… → ɵɵdefine…), so no JIT is needed. */
const angularLinker = {
  name: 'angular-linker',
  setup(b) {
    let babel;
    let linker;
    b.onLoad({ filter: /[\\/]node_modules[\\/]@angular[\\/].*\.m?js$/ }, async (args) => {
      const code = await readFile(args.path, 'utf8');
      if (!code.includes('ɵɵngDeclare')) return { contents: code, loader: 'js' };
      babel ??= await import('@babel/core');
      linker ??= (await import('@angular/compiler-cli/linker/babel')).default;
      const out = await babel.transformAsync(code, {
        filename: args.path,
        babelrc: false,
        configFile: false,
        compact: false,
        sourceMaps: false,
        plugins: [[linker, { linkerJitMode: false }]],
      });
      return { contents: out.code, loader: 'js' };
    });
  },
};

const built = [];
if (want('react')) {
  await build({
    ...common,
    entryPoints: ['demo/react/main.tsx'],
    outfile: join(OUT, 'react.js'),
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  built.push('react');
}
if (want('vue')) {
  await build({
    ...common,
    entryPoints: ['demo/vue.js'],
    outfile: join(OUT, 'vue.js'),
    plugins: [vueTemplates],
    define: {
      'process.env.NODE_ENV': '"production"',
      __VUE_OPTIONS_API__: 'false',
      __VUE_PROD_DEVTOOLS__: 'false',
      __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    },
  });
  built.push('vue');
}
if (want('angular')) {
  // ahead-of-time compilation of the standalone component (templates → instructions)
  const aot = 'build/angular-aot';
  await rm(aot, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      'node_modules/@angular/compiler-cli/bundles/src/bin/ngc.js',
      '-p',
      'demo/angular/tsconfig.json',
    ],
    { stdio: 'inherit' },
  );
  await build({
    ...common,
    tsconfig: undefined,
    entryPoints: [join(aot, 'main.js')],
    outfile: join(OUT, 'angular.js'),
    plugins: [angularLinker],
    mainFields: ['es2020', 'es2015', 'browser', 'module', 'main'],
    conditions: ['es2020', 'es2015', 'module'],
    define: { ngDevMode: 'false', ngJitMode: 'false', ngI18nClosureMode: 'false' },
  });
  built.push('angular');
}
console.log(`build-demos: ${built.join(', ')} → ${OUT}/ in ${Date.now() - started} ms`);
