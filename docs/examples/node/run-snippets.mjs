// Runs each ```js check of docs/verifying-webhooks.md (not the receiver server), as printed, on one delivery a real Keyhook made.
// Input (environment): SNIPPET (index of the block), BODY_FILE (the raw body as received), HEADERS (JSON, lowercase
// names), KEYHOOK_SIGNING_SECRET and secret (the secret, "whsec_…"), MY_URL (the webhook URL), TOKEN (the bearer
// token, jwt-bearer only), KEYHOOK_PUBLIC_KEYS (v1a: the webhook's "whpk_…" keys, comma-separated) and KEYHOOK_JWKS
// (v1a: the signing-keys answer's jwks, JSON). Exit 0: the snippet accepted the delivery; otherwise it threw.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const page = readFileSync(path.join(here, '../../verifying-webhooks.md'), 'utf8');
const blocks = [...page.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1])
  // the complete receiver is a server: run-receiver.mjs runs it
  .filter((b) => !b.includes('createServer'));
const index = Number(process.env.SNIPPET);
if (!(index >= 0 && index < blocks.length)) {
  console.error(`no js block ${process.env.SNIPPET}; the page has ${blocks.length}`);
  process.exit(2);
}
// the variables the page's snippets use, then the snippet itself (its imports are hoisted)
const prelude = `
const rawBody = (await import('node:fs')).readFileSync(process.env.BODY_FILE);
const req = { headers: JSON.parse(process.env.HEADERS) };
const secret = process.env.KEYHOOK_SIGNING_SECRET;
const token = process.env.TOKEN;
const MY_URL = process.env.MY_URL;
const publicKeys = (process.env.KEYHOOK_PUBLIC_KEYS ?? '').split(',').filter(Boolean);
const jwks = JSON.parse(process.env.KEYHOOK_JWKS ?? '{"keys":[]}');
`;
mkdirSync(path.join(here, 'generated'), { recursive: true });
const file = path.join(here, 'generated', `snippet-${index}.mjs`);
writeFileSync(file, `${prelude}\n${blocks[index]}\nconsole.log('verified');\n`);
await import(file);
