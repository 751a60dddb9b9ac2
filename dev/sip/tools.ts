/**
 * Preflight for everything that runs the SIP layer (tests, `npm run sip:lab`, `npm run bench:sip`):
 * Kamailio, the modules sip/kamailio.cfg loads, and SIPp. A missing piece is an error naming the
 * Debian package that provides it, never a skip.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Where Debian's kamailio packages put their modules (KAMAILIO_MODULES_DIR overrides it). */
export const DEFAULT_KAMAILIO_MODULES_DIR = '/usr/lib/x86_64-linux-gnu/kamailio/modules';

/** Every module sip/kamailio.cfg loads, with the Debian package that ships it. */
const MODULE_PACKAGES: Readonly<Record<string, string>> = {
  'tm.so': 'kamailio',
  'tmx.so': 'kamailio',
  'sl.so': 'kamailio',
  'rr.so': 'kamailio',
  'pv.so': 'kamailio',
  'maxfwd.so': 'kamailio',
  'textops.so': 'kamailio',
  'siputils.so': 'kamailio',
  'xlog.so': 'kamailio',
  'sanity.so': 'kamailio',
  'htable.so': 'kamailio',
  'http_client.so': 'kamailio-utils-modules',
  'json.so': 'kamailio-json-modules',
};

const INSTALL_HINT = 'Install them with: apt-get install -y kamailio kamailio-utils-modules kamailio-json-modules sip-tester';

export interface SipTools {
  kamailio: string;
  sipp: string;
  modulesDir: string;
}

function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  // Kamailio lives in /usr/sbin, which is not on every user's PATH.
  const dirs = [...(env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The tools, or an Error listing every missing one and its Debian package. */
export function findSipTools(env: NodeJS.ProcessEnv = process.env): SipTools {
  const missing: string[] = [];
  const kamailio = findExecutable('kamailio', env);
  if (kamailio === undefined) missing.push('kamailio (Debian package kamailio)');
  const sipp = findExecutable('sipp', env);
  if (sipp === undefined) missing.push('sipp (Debian package sip-tester)');
  const modulesDir = env.KAMAILIO_MODULES_DIR || DEFAULT_KAMAILIO_MODULES_DIR;
  for (const [module, pkg] of Object.entries(MODULE_PACKAGES)) {
    if (!fs.existsSync(path.join(modulesDir, module))) missing.push(`Kamailio module ${module} in ${modulesDir} (Debian package ${pkg})`);
  }
  if (missing.length > 0 || kamailio === undefined || sipp === undefined) {
    throw new Error(`The SIP layer needs tools that are missing:\n  - ${missing.join('\n  - ')}\n${INSTALL_HINT}`);
  }
  return { kamailio, sipp, modulesDir };
}
