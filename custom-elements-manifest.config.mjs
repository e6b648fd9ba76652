// Custom Elements Manifest for the kit's elements (`npm run analyze`; checked by `npm run analyze:check`).
export default {
  globs: ['src/components/**/*.component.ts', 'src/internal/ipo-element.ts'],
  exclude: ['src/**/*.test.ts'],
  litelement: true,
  outdir: '.',
  packagejson: false,
};
