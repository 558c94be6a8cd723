// config.json's `oidc` block: sign-in with an OpenID provider (docs/sign-in.md). The schema lives beside the code
// that reads it; config/schema.ts puts it in config.json's schema.
import { nonEmpty, z } from '../zod';

const path = z.string().check(z.regex(/^\/[^?#]*$/, 'a path on this site, starting with "/"'));

export const oidcSchema = z.strictObject({
  /** The provider's issuer URL (its discovery document is at `<authority>/.well-known/openid-configuration`). */
  authority: z.url(),
  /** This viewer's client id at the provider: a public client (no secret), authorization code with PKCE. */
  clientId: nonEmpty(),
  /** Scopes asked for; `offline_access` where the provider gives refresh tokens only then. */
  scope: z._default(nonEmpty(), 'openid profile email'),
  /** Where the provider sends the browser back (register `<origin><redirectPath>` with it). */
  redirectPath: z._default(path, '/auth/callback'),
  /**
   * Where the provider sends the sign-in window back to, when the reader signs in again without leaving the page
   * (register `<origin><popupRedirectPath>` too).
   */
  popupRedirectPath: z._default(path, '/auth/popup'),
  /** Where the browser goes after signing out (register `<origin><postLogoutRedirectPath>`). */
  postLogoutRedirectPath: z._default(path, '/'),
  /** The API the access token is for (RFC 8707 resource indicator), where the provider needs one to put the gateway's audience in the token. */
  resource: z.optional(z.url()),
  /** Renew the access token this many seconds before it expires. */
  renewBeforeExpirySeconds: z._default(z.int().check(z.minimum(5), z.maximum(3600)), 60),
});

export type OidcConfig = z.infer<typeof oidcSchema>;

/** Where the provider sends the browser back: the page's own sign-in, or the sign-in window's. */
export function isCallback(config: OidcConfig, pathname: string): boolean {
  return pathname === config.redirectPath || pathname === config.popupRedirectPath;
}
