// Runs the ```js block of docs/authenticating.md's "Validating tokens in your API", as printed, on one access token a
// real token-service issued (e2e-tests' ValidatingTokensDocsE2ETest). Input (environment): TOKEN, KEYHOOK_JWKS_URL,
// KEYHOOK_ISSUER. Exit 0 and "verified <sub>": the snippet accepted the token; otherwise it threw.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const page = readFileSync(path.join(here, '../../authenticating.md'), 'utf8');
const from = page.indexOf('## Validating tokens in your API');
const section = page.slice(from, page.indexOf('\n## ', from + 1));
const blocks = [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
if (blocks.length !== 1) {
  console.error(`expected one js block in the section, found ${blocks.length}`);
  process.exit(2);
}
const prelude = 'const token = process.env.TOKEN;\n';
mkdirSync(path.join(here, 'generated'), { recursive: true });
const file = path.join(here, 'generated', 'validate-token.mjs');
writeFileSync(file, `${prelude}\n${blocks[0]}\nconsole.log('verified ' + payload.sub);\n`);
await import(file);
