// Collapses the indentation whitespace of lit `html` and `css` tagged templates in the bundles.
// Uses the TypeScript parser to find the templates, so only their literal text is touched: never
// code, interpolated expressions, or any other string. HTML keeps one space where there was
// whitespace (the browser renders the two alike outside <pre>/<textarea>, and a template that has
// those is left as it is); CSS also drops comments and the spaces around { } ; and after , and :
// inside declarations.
import ts from 'typescript';
import { readFile } from 'node:fs/promises';

/** HTML text: any whitespace run that spans lines becomes one space (or nothing next to a tag edge). */
export function collapseHtml(text) {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** CSS text: comments go, whitespace runs become one space, none around { } ; , or a declaration's colon. */
export function collapseCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/([{;]\s*[-a-zA-Z]+)\s*:\s*/g, '$1:');
}

const SKIP_HTML = /<(pre|textarea)\b/i;

/** Returns `source` with every html`` / css`` template's literal parts collapsed. */
export function minifyTemplates(source, fileName = 'x.ts') {
  if (!/\b(html|css)`/.test(source)) return source;
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const edits = [];
  const visit = (node) => {
    if (
      ts.isTaggedTemplateExpression(node) &&
      ts.isIdentifier(node.tag) &&
      (node.tag.text === 'html' || node.tag.text === 'css')
    ) {
      const isCss = node.tag.text === 'css';
      const t = node.template;
      const parts = ts.isNoSubstitutionTemplateLiteral(t)
        ? [t]
        : [t.head, ...t.templateSpans.map((s) => s.literal)];
      const whole = parts.map((p) => p.rawText ?? p.text).join('');
      if (isCss || !SKIP_HTML.test(whole)) {
        for (const p of parts) {
          // the literal's text sits between its opening (` or }) and closing (` or ${) delimiters
          const start = p.getStart(file) + 1;
          const end =
            p.getEnd() -
            (p.kind === ts.SyntaxKind.TemplateHead || p.kind === ts.SyntaxKind.TemplateMiddle
              ? 2
              : 1);
          const raw = source.slice(start, end);
          let next = isCss ? collapseCss(raw) : collapseHtml(raw);
          if (isCss && p === parts[0]) next = next.trimStart();
          if (isCss && p === parts[parts.length - 1]) next = next.trimEnd();
          if (next !== raw) edits.push([start, end, next]);
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  let out = source;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0]))
    out = out.slice(0, start) + text + out.slice(end);
  return out;
}

/** esbuild plugin applying `minifyTemplates` to the project's own TypeScript sources. */
export const minifyTemplatesPlugin = {
  name: 'minify-templates',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      return { contents: minifyTemplates(source, args.path), loader: 'ts' };
    });
  },
};
