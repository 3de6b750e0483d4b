// The local identity provider: an RS256 key pair under .data/keys, tokens minted for it, and the verification the
// API Gateway JWT authorizer does in AWS (signature, issuer, audience, expiry).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { DATA_DIR } from './dynamodb-local.js';

export const LOCAL_ISSUER = 'https://local.contact-relationships/issuer';
export const LOCAL_AUDIENCE = 'contact-relationships';
const ALG = 'RS256';

interface KeyFiles {
  privateJwk: JWK;
  publicJwk: JWK;
}

function keyDir(dataDir: string) {
  return join(dataDir, 'keys');
}

/** Loads the key pair, creating it on first use (mode 600). */
export async function loadKeys(dataDir = DATA_DIR): Promise<KeyFiles> {
  const dir = keyDir(dataDir);
  const file = join(dir, 'local-signing-key.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as KeyFiles;
  mkdirSync(dir, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const kid = `local-${Date.now().toString(36)}`;
  const keys: KeyFiles = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG },
  };
  writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

export interface TokenClaims {
  sub: string;
  caller_type: 'application' | 'member' | 'contact';
  scope: string;
  participant_uid?: string;
  member_id?: number;
  contact_id?: number;
}

export async function mintToken(claims: TokenClaims, options: { dataDir?: string; expiresIn?: string } = {}): Promise<string> {
  const { privateJwk } = await loadKeys(options.dataDir);
  const key = await importJWK(privateJwk, ALG);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: ALG, kid: privateJwk.kid!, typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(key);
}

export type Verifier = (token: string) => Promise<JWTPayload>;

/** A verifier with the key loaded once. */
export async function createVerifier(dataDir = DATA_DIR): Promise<Verifier> {
  const { publicJwk } = await loadKeys(dataDir);
  const key = await importJWK(publicJwk, ALG);
  return async (token) => (await jwtVerify(token, key, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: [ALG] })).payload;
}

/**
 * Claims as the HTTP API JWT authorizer hands them to Lambda: every value a string (arrays as "[a b]").
 */
export function claimsAsApiGatewayDoes(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([k, v]) => [k, Array.isArray(v) ? `[${v.join(' ')}]` : typeof v === 'object' ? JSON.stringify(v) : String(v)]),
  );
}
