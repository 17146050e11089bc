// Client keys and client assertions for bench/token/run's private_key_jwt rows (RFC 7523 section 2.2, SMART Backend
// Services). Node's own crypto only, so the benchmark needs no npm install. Every assertion has its own jti: token-service
// accepts a jti once, so the run needs one assertion per request, made before the run (wrk's Lua cannot sign).
//   node assertions.mjs keys <ES256|EdDSA> <count> <dir>       count key pairs: <dir>/key-<i>.pem and <dir>/jwks-<i>.json
//   node assertions.mjs bodies <ES256|EdDSA> <dir> <clients> <aud> <count> <out>
//        <clients>: one client id per line, client i holds key i; writes count form bodies (one per line), round robin
import { generateKeyPairSync, createPrivateKey, sign, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';

const [mode, alg, ...rest] = process.argv.slice(2);
const b64url = (buf) => Buffer.from(buf).toString('base64url');
const curve = { ES256: 'ec', EdDSA: 'ed25519' }[alg];
if (!curve) throw new Error(`unsupported algorithm ${alg}: ES256 or EdDSA`);

if (mode === 'keys') {
  const [count, dir] = rest;
  for (let i = 0; i < Number(count); i++) {
    const { publicKey, privateKey } = curve === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('ed25519');
    const jwk = { ...publicKey.export({ format: 'jwk' }), kid: `bench-${i}`, alg, use: 'sig' };
    writeFileSync(`${dir}/key-${i}.pem`, privateKey.export({ format: 'pem', type: 'pkcs8' }));
    writeFileSync(`${dir}/jwks-${i}.json`, JSON.stringify({ keys: [jwk] }));
  }
} else if (mode === 'bodies') {
  const [dir, clientsFile, aud, count, out] = rest;
  const clients = readFileSync(clientsFile, 'utf8').split('\n').filter(Boolean);
  const keys = clients.map((_, i) => createPrivateKey(readFileSync(`${dir}/key-${i}.pem`)));
  const headers = clients.map((_, i) => b64url(JSON.stringify({ alg, kid: `bench-${i}`, typ: 'JWT' })));
  const now = Math.floor(Date.now() / 1000);
  // at most 5 minutes ahead, as SMART allows: the pool is made right before the run that spends it
  const exp = now + 280;
  const fd = openSync(out, 'w');
  let chunk = [];
  for (let n = 0; n < Number(count); n++) {
    const i = n % clients.length;
    const claims = { iss: clients[i], sub: clients[i], aud, jti: b64url(randomBytes(16)), iat: now, exp };
    const input = `${headers[i]}.${b64url(JSON.stringify(claims))}`;
    const sig = curve === 'ec'
      ? sign('sha256', Buffer.from(input), { key: keys[i], dsaEncoding: 'ieee-p1363' })
      : sign(null, Buffer.from(input), keys[i]);
    chunk.push('grant_type=client_credentials&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer'
      + `&client_assertion=${input}.${b64url(sig)}`);
    if (chunk.length === 10000) { writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
} else {
  throw new Error('usage: assertions.mjs keys|bodies ...');
}
