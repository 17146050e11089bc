// A resource server written with jose (npm), knowing only the JWKS URL, the issuer and its audience:
// verifies the access token in ACCESS_TOKEN and prints one line of JSON, {"alg":...,"sub":...,"scope":...}
// or {"error":<code>} when the token is refused.
import { createRemoteJWKSet, jwtVerify } from 'jose';

const jwks = createRemoteJWKSet(new URL(process.env.JWKS_URL));
try {
  const { payload, protectedHeader } = await jwtVerify(process.env.ACCESS_TOKEN, jwks, {
    issuer: process.env.ISSUER,
    audience: process.env.AUDIENCE,
    typ: 'at+jwt',
    algorithms: ['EdDSA', 'ES256', 'RS256'],
  });
  console.log(JSON.stringify({ alg: protectedHeader.alg, sub: payload.sub, scope: payload.scope }));
} catch (e) {
  console.log(JSON.stringify({ error: e.code ?? e.name }));
}
