/**
 * The SIP suite never skips: a missing Kamailio module or tool is an error naming the Debian package
 * to install. And the settings Kamailio gets are checked before they reach its command line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TRUNK_PORTS, kamailioDefines } from '../../dev/sip/kamailio';
import { findSipTools } from '../../dev/sip/tools';

it('names the Debian packages of missing Kamailio modules', () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-modules-'));
  try {
    expect(() => findSipTools({ ...process.env, KAMAILIO_MODULES_DIR: empty })).toThrow(
      /http_client\.so .*kamailio-utils-modules[\s\S]*json\.so .*kamailio-json-modules[\s\S]*apt-get install -y kamailio kamailio-utils-modules kamailio-json-modules sip-tester/,
    );
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

it('finds kamailio, sipp and the modules on this machine', () => {
  const tools = findSipTools();
  expect(path.basename(tools.kamailio)).toBe('kamailio');
  expect(path.basename(tools.sipp)).toBe('sipp');
});

it('turns settings into defines and refuses values that could break the configuration', () => {
  const settings = { ports: DEFAULT_TRUNK_PORTS, lookupUrl: 'http://127.0.0.1:7071/lookup/v1/route', lookupToken: 'secret', drBaseDomain: 'sbc.example.net' };
  const defines = kamailioDefines(settings);
  expect(defines).toContain('LOOKUP_URL="http://127.0.0.1:7071/lookup/v1/route"');
  expect(defines).toContain('PORT_FROM_OPERATOR_MOBILE=5065');
  expect(defines).toContain('PORT_TO_CP=5075');
  expect(defines.join(' ')).not.toContain('secret');
  expect(kamailioDefines({ ...settings, mode: 'static' })).toContain('STATIC_ROUTE');
  expect(kamailioDefines({ ...settings, mode: 'lookupNoReuse' })).toContain('NO_ANSWER_REUSE');
  expect(() => kamailioDefines({ ...settings, lookupUrl: 'http://x/route"\nlisten=udp:0.0.0.0:1' })).toThrow(/not a plain http/);
  expect(() => kamailioDefines({ ...settings, drBaseDomain: 'a"b' })).toThrow(/not a host name/);
  expect(() => kamailioDefines({ ...settings, ports: { ...DEFAULT_TRUNK_PORTS, toZoom: 70000 } })).toThrow(/toZoom/);
});
