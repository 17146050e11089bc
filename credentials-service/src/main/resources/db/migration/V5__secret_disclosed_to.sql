-- The site (TokenUrlPolicy.siteOf: registrable domain, or the host) a secret has been sent to for token exchange.
-- Set once, under the secret's row lock, by its first token-exchange lease; never cleared, not even when every lease
-- is released: the receiver's token endpoint has seen the secret. Null: never disclosed to a third party.
alter table client_secrets add column disclosed_to varchar(255);
