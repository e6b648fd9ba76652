// The bundles' template minifier (scripts/minify-templates.mjs): only lit html/css literal text
// changes, and never in a way the browser would render differently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-ignore -- a plain .mjs build script without declarations
import { minifyTemplates, collapseCss } from '../../scripts/minify-templates.mjs';

const mt = minifyTemplates as (source: string) => string;

test('html templates lose their indentation, expressions and other strings stay', () => {
  const src = [
    'const a = html`',
    '  <div part="base">',
    '    ${cond ? html`<span>  ${x}  </span>` : "  keep  \\n  me  "}',
    '  </div>',
    '`;',
    'const b = `not   a',
    '    template tag`;',
  ].join('\n');
  const out = mt(src);
  assert.equal(
    out,
    [
      'const a = html` <div part="base"> ${cond ? html`<span>  ${x}  </span>` : "  keep  \\n  me  "} </div> `;',
      'const b = `not   a',
      '    template tag`;',
    ].join('\n'),
  );
});

test('html with <pre> or <textarea> is left alone', () => {
  const src = 'html`<pre>\n  a\n    b\n</pre>`';
  assert.equal(mt(src), src);
  const ta = 'html`<textarea>\n  x\n</textarea>`';
  assert.equal(mt(ta), ta);
});

test('css: comments and layout whitespace go, selectors and values keep their meaning', () => {
  const out = mt(
    'css`\n  /* a comment */\n  :host ::slotted(a), .row > label:hover {\n    color : red;\n    margin: 0 1px;\n  }\n  @media (forced-colors: active) { a { border: 1px solid ${unsafeCSS(c)}; } }\n`',
  );
  assert.equal(
    out,
    'css`:host ::slotted(a),.row > label:hover{color:red;margin:0 1px;}@media (forced-colors: active){a{border:1px solid ${unsafeCSS(c)};}}`',
  );
  assert.equal(collapseCss('a  b'), 'a b');
});
