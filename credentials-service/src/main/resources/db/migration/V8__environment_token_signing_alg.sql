-- Issue 30: the JWS algorithm of the access tokens issued for an Environment's clients, chosen by a platform
-- operator when one customer's resource server needs it (PATCH /api/v1/environments/{env} "tokenSigningAlg").
-- Null = token-service's keyhook.token.signing.algorithm. Published on keyhook.environments.
ALTER TABLE environments ADD COLUMN token_signing_alg varchar(16)
    CHECK (token_signing_alg IN ('EdDSA', 'ES256', 'RS256'));
