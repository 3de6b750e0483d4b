// Stands in for @aws-sdk/credential-provider-node inside the function bundles (infra/build/bundling.ts): on Lambda the
// function role's credentials are in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
// which is the first link of the SDK's default chain and the only one that ever answers there. The other links (SSO,
// shared ini files, credential processes, web identity, container and instance metadata) and the STS, SSO and sign-in
// clients they load are about 130 KB of bundle that no invocation would run. Local runs and tests do not bundle: they
// keep the SDK's full chain.
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

type Credentials = Awaited<ReturnType<ReturnType<typeof fromEnv>>>;

/** The SDK clients call this for their default credentials: the environment's, as the full chain would find them. */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);

// The package's other exports, with its own definitions.
export const credentialsWillNeedRefresh = (credentials: Credentials) => credentials?.expiration !== undefined;
export const credentialsTreatedAsExpired = (credentials: Credentials) =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
