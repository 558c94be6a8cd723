import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultDataSourceOf, parseConfig } from './schema';

describe('parseConfig', () => {
  it('accepts the shipped public/config.json and fills defaults', () => {
    const cfg = parseConfig(JSON.parse(readFileSync('public/config.json', 'utf8')));
    expect(defaultDataSourceOf(cfg).name).toBe('demo');
    const pacs = cfg.dataSources.find((d) => d.name === 'pacs')!;
    expect(pacs.kind).toBe('dicomweb');
    expect(pacs.requestTransferSyntaxUID).toBe('*');
    expect(pacs.requestHeaders).toEqual({});
  });

  it('lists every problem with its path', () => {
    try {
      parseConfig({
        dataSources: [
          { name: 'a b', qidoRoot: '/x', wadoRoot: '/x' },
          { name: 'ok', wadoRoot: '/x', typo: true },
        ],
      });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const details = (e as ConfigError).details.join('\n');
      expect(details).toContain('dataSources.0.name');
      expect(details).toContain('dataSources.1.qidoRoot');
      expect(details).toMatch(/dataSources\.1.*typo|typo/);
    }
    expect(() => parseConfig({ dataSources: [{ name: 'a', qidoRoot: '/', wadoRoot: '/' }], defaultDataSource: 'b' })).toThrow(
      /not valid/,
    );
  });

  it('rejects duplicate names and an empty list', () => {
    expect(() =>
      parseConfig({ dataSources: [{ name: 'a', qidoRoot: '/', wadoRoot: '/' }, { name: 'a', qidoRoot: '/', wadoRoot: '/' }] }),
    ).toThrow(ConfigError);
    expect(() => parseConfig({ dataSources: [] })).toThrow(ConfigError);
    expect(() => parseConfig('nope')).toThrow(ConfigError);
  });

  it('defaults to the first data source', () => {
    const cfg = parseConfig({ dataSources: [{ name: 'x', qidoRoot: '/q', wadoRoot: '/w' }] });
    expect(defaultDataSourceOf(cfg).name).toBe('x');
    expect(cfg.worklistPageSize).toBe(50);
  });

  it('reads the sign-in block with its defaults, and refuses one that would misroute the provider', () => {
    const base = { dataSources: [{ name: 'pacs', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web' }] };
    expect(parseConfig(base).oidc).toBeUndefined();
    const cfg = parseConfig({ ...base, oidc: { authority: 'https://idp.example/realms/h', clientId: 'lumen-viewer' } });
    expect(cfg.oidc).toEqual({
      authority: 'https://idp.example/realms/h',
      clientId: 'lumen-viewer',
      scope: 'openid profile email',
      redirectPath: '/auth/callback',
      popupRedirectPath: '/auth/popup',
      postLogoutRedirectPath: '/',
      renewBeforeExpirySeconds: 60,
    });
    expect(() => parseConfig({ ...base, oidc: { authority: 'not a url', clientId: 'x' } })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, oidc: { authority: 'https://idp.example', clientId: 'x', redirectPath: 'https://evil.example/cb' } })).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, oidc: { authority: 'https://idp.example', clientId: 'x', clientSecret: 's' } })).toThrow(ConfigError);
  });

  it('takes a language, the languages offered and the digit shapes; refuses others', () => {
    const ds = [{ name: 'a', qidoRoot: '/', wadoRoot: '/' }];
    expect(parseConfig({ dataSources: ds }).numerals).toBe('latn');
    const cfg = parseConfig({ dataSources: ds, language: 'ar', languages: ['ar', 'fr'], numerals: 'arab' });
    expect([cfg.language, cfg.languages, cfg.numerals]).toEqual(['ar', ['ar', 'fr'], 'arab']);
    const details = (json: unknown) => {
      try {
        parseConfig(json);
      } catch (e) {
        return (e as ConfigError).details.join('\n');
      }
      return '';
    };
    expect(details({ dataSources: ds, language: 'de' })).toContain('language');
    expect(details({ dataSources: ds, languages: [] })).toContain('languages');
    expect(details({ dataSources: ds, language: 'en', languages: ['ar'] })).toContain('"en" is not one of "languages"');
    expect(details({ dataSources: ds, numerals: 'hindi' })).toContain('numerals');
  });
});
