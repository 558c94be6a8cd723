import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, storesThroughGateway } from './policy.mjs';

const directive = (csp: string, name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `)) ?? '';

describe('contentSecurityPolicy', () => {
  it("lets the page reach this origin, the data sources' origins and, with sign-in, the provider — nothing else", () => {
    const csp = contentSecurityPolicy({
      dataSources: [{ qidoRoot: '/dicom-web', wadoRoot: 'https://pacs.example:8443/wado', stowRoot: 'not a url' }],
      oidc: { authority: 'https://idp.example/realms/hospital', clientId: 'lumen-viewer' },
    });
    expect(directive(csp, 'connect-src')).toBe("connect-src 'self' blob: https://idp.example https://pacs.example:8443");
    expect(directive(csp, 'script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    // Never framed, not even for sign-in (renewal uses the refresh token, and signing in again a window).
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
    expect(directive(contentSecurityPolicy({ dataSources: [] }), 'connect-src')).toBe("connect-src 'self' blob:");
    expect(directive(contentSecurityPolicy({ dataSources: [] }), 'media-src')).toBe("media-src 'self' blob:");
    expect(directive(contentSecurityPolicy({ oidc: { authority: '::bad' } }), 'connect-src')).toBe("connect-src 'self' blob:");
  });
});

describe('storesThroughGateway', () => {
  it('stores only when a data source stores at the gateway prefix and the viewer is not read-only', () => {
    const ds = { stowRoot: '/dicom-web/' };
    expect(storesThroughGateway({ dataSources: [ds] }, '/dicom-web')).toBe(true);
    expect(storesThroughGateway({ dataSources: [ds], readOnly: true }, '/dicom-web')).toBe(false);
    expect(storesThroughGateway({ dataSources: [{ stowRoot: 'https://pacs.example/dicom-web' }] }, '/dicom-web')).toBe(false);
  });
});
