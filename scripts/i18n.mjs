// Compiles the message catalogue (electron/shared/i18n/messages) into typed functions, after
// writing the pseudo-locale en-XA from English: accented, 40% longer and bracketed, so a screen
// that clips longer words or shows a word not taken from the catalogue is seen in English runs.
// Runs on install (`prepare`), before typechecks, builds and tests; the output is not committed.
import { readFile, writeFile } from 'node:fs/promises';
import { compile } from '@inlang/paraglide-js';

const root = new URL('../electron/shared/i18n/', import.meta.url);
const ACCENTS = Object.fromEntries([...'aeiouyAEIOUYcnsCNSz'].map((c, i) => [c, [...'àéîöûýÀÉÎÖÛÝçñšÇÑŠž'][i]]));

/** Pseudo-localises the text of a pattern, leaving `{placeholders}` as they are. */
function pseudo(pattern) {
  const parts = pattern.split(/(\{[^}]*\})/);
  const text = parts.map((part) => (part.startsWith('{') ? part : [...part].map((c) => ACCENTS[c] ?? c).join('')));
  const letters = parts.filter((part) => !part.startsWith('{')).join('').length;
  return `[${text.join('')}${'~'.repeat(Math.ceil(letters * 0.4))}]`;
}

function pseudoMessage(message) {
  if (typeof message === 'string') return pseudo(message);
  return message.map((variant) => ({
    ...variant,
    match: Object.fromEntries(Object.entries(variant.match).map(([key, pattern]) => [key, pseudo(pattern)])),
  }));
}

const english = JSON.parse(await readFile(new URL('messages/en.json', root), 'utf8'));
const pseudoLocale = Object.fromEntries(
  Object.entries(english).map(([key, message]) => [key, key === '$schema' ? message : pseudoMessage(message)]),
);
await writeFile(new URL('messages/en-XA.json', root), `${JSON.stringify(pseudoLocale, null, 2)}\n`);

await compile({
  project: new URL('project.inlang', root).pathname,
  outdir: new URL('generated', root).pathname,
  strategy: ['globalVariable', 'baseLocale'],
  emitTsDeclarations: true,
  emitReadme: false,
});
