/**
 * Offline checks of infra/ (no Bicep CLI here; the first real `az bicep build` runs in a networked
 * pipeline, infra/README.md "Verification status"): every template parses, uses only documented
 * resource types/API versions and known built-in roles, carries no secret, and its app settings
 * and the code's settings agree in both directions (drift). Plus the deployment decisions the
 * README promises: default-deny access lists, a never-cold lookup, queue-scoped Service Bus
 * rights, TXT-only DNS rights, zone-redundant storage, per-environment nested deployment names.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FLOWTHROUGH_QUEUE } from '../../shared/flowthrough/kicks';
import { evaluateVariable, infraFiles, INFRA_DIR, modulePaths, parameterFileValues, parseBicep, resourceUses, settingKeys, type BicepFile } from './bicep';
import { codeSettings } from './codeSettings';
import { BUILT_IN_ROLES, DOCUMENTED_API_VERSIONS } from './documentedApiVersions';

let files: BicepFile[];
let main: BicepFile;
let functionApp: BicepFile;

const byName = (name: string): BicepFile => {
  const file = files.find((f) => f.file.endsWith(name));
  if (file === undefined) throw new Error(`no ${name} under infra/`);
  return file;
};

beforeAll(async () => {
  files = await Promise.all(infraFiles().map((file) => parseBicep(file)));
  main = byName('infra/main.bicep');
  functionApp = byName('modules/functionApp.bicep');
});

/** Settings each app gets: its own variable in main.bicep plus the host settings of functionApp.bicep. */
function writtenSettings(): Map<string, string> {
  const out = new Map<string, string>();
  for (const variable of ['apiAppSettings', 'lookupAppSettings']) for (const key of settingKeys(main, variable)) out.set(key, `main.bicep ${variable}`);
  for (const key of settingKeys(functionApp, 'hostSettings')) out.set(key, 'modules/functionApp.bicep hostSettings');
  return out;
}

/** The README's list of settings the templates leave at the app's defaults, each with a reason. */
function documentedDefaults(): Map<string, string> {
  const readme = fs.readFileSync(path.join(INFRA_DIR, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Settings left at the app\'s defaults'));
  if (section === undefined) throw new Error('infra/README.md has no "## Settings left at the app\'s defaults" section');
  const out = new Map<string, string>();
  for (const row of section.split('\n').filter((line) => line.startsWith('| `'))) {
    const [names = '', reason = ''] = row.split('|').slice(1).map((cell) => cell.trim());
    for (const name of names.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)) out.set(name[1] as string, reason);
  }
  return out;
}

describe('syntax', () => {
  it('parses every .bicep and .bicepparam file without a syntax error', () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['infra/main.bicep', 'infra/main.bicepparam']));
    expect(files.length).toBeGreaterThanOrEqual(8);
    expect(files.flatMap((f) => f.syntaxErrors)).toEqual([]);
  });

  it('references only local modules that exist (no registry modules)', () => {
    for (const file of files) {
      for (const modulePath of modulePaths(file)) {
        expect(modulePath).not.toMatch(/^br[:/]|^ts:/);
        expect(fs.existsSync(path.join(path.dirname(path.resolve(file.file)), modulePath))).toBe(true);
      }
    }
  });

  it('sets every parameter the parameter file assigns to one main.bicep declares', () => {
    const declared = new Set(main.tree.rootNode.namedChildren.filter((n) => n?.type === 'parameter_declaration').map((n) => n?.namedChildren[0]?.text));
    expect(Object.keys(parameterFileValues(byName('infra/main.bicepparam'))).filter((name) => !declared.has(name))).toEqual([]);
  });
});

describe('resources', () => {
  it('uses only resource types and API versions Microsoft documents (test/infra/documentedApiVersions.ts)', () => {
    const uses = files.flatMap(resourceUses);
    expect(uses.length).toBeGreaterThan(15);
    const undocumented = uses.filter((use) => !(DOCUMENTED_API_VERSIONS[use.type] ?? []).includes(use.apiVersion)).map((use) => `${use.at} ${use.type}@${use.apiVersion}`);
    expect(undocumented).toEqual([]);
  });

  it('assigns only known built-in roles (every GUID literal in infra/ is one)', () => {
    const unknown = files.flatMap((f) => [...f.text.matchAll(/'([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})'/gi)].map((m) => m[1] as string)).filter((guid) => !(guid.toLowerCase() in BUILT_IN_ROLES));
    expect(unknown).toEqual([]);
  });

  it('names nested deployments per environment, never with a fixed string', () => {
    const fixed: string[] = [];
    for (const file of files) {
      for (const node of file.tree.rootNode.namedChildren) {
        if (node?.type !== 'module_declaration') continue;
        const nameLine = /\bname:\s*(.+)$/m.exec(node.text)?.[1] ?? '';
        if (!nameLine.includes('${')) fixed.push(`${file.file}:${node.startPosition.row + 1} ${nameLine}`);
      }
    }
    expect(fixed).toEqual([]);
  });

  it('reads outputs of conditional modules only with the safe-dereference operator (BCP318)', () => {
    const unsafe: string[] = [];
    for (const file of files) {
      const conditional = file.tree.rootNode.namedChildren
        .filter((n) => n?.type === 'module_declaration' && n.namedChildren.some((c) => c?.type === 'if_statement'))
        .map((n) => n?.namedChildren[0]?.text as string);
      for (const name of conditional) for (const m of file.text.matchAll(new RegExp(`\\b${name}!?\\.outputs`, 'g'))) unsafe.push(`${file.file}: ${m[0]}`);
    }
    expect(unsafe).toEqual([]);
  });

  it('keeps the system of record on zone-redundant storage', () => {
    const storage = byName('modules/storage.bicep').text;
    expect(storage).toMatch(/sku: \{ name: skuName \}/);
    const allowed = /@allowed\(\[([^\]]*)\]\)\s*param skuName/.exec(storage)?.[1] ?? '';
    expect(allowed.match(/'[^']+'/g)?.sort()).toEqual(["'Standard_GZRS'", "'Standard_RAGZRS'", "'Standard_ZRS'"]);
    expect(main.text).toMatch(/param storageSku string = 'Standard_ZRS'/);
  });

  it('scopes Service Bus rights to the queue and DNS rights to TXT record sets of the zone', () => {
    const serviceBus = byName('modules/serviceBus.bicep').text;
    const assignments = [...serviceBus.matchAll(/roleAssignments@[^=]+=[\s\S]*?scope: (\w+)/g)].map((m) => m[1]);
    expect(assignments).toEqual(['queue']);
    const dns = byName('modules/dnsZoneAccess.bicep').text;
    const actions = [...(/actions: \[([^\]]*)\]/.exec(dns)?.[1] ?? '').matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(actions.sort()).toEqual(['Microsoft.Network/dnsZones/TXT/delete', 'Microsoft.Network/dnsZones/TXT/read', 'Microsoft.Network/dnsZones/TXT/write', 'Microsoft.Network/dnsZones/read']);
    expect(dns).toMatch(/scope: zone/);
    expect(dns).not.toMatch(/befefa01-2a29-4197-83a8-272ff33ce314/); // DNS Zone Contributor
  });

  it('denies inbound calls by default on both apps, with separate scm rules', () => {
    expect(functionApp.text).toMatch(/ipSecurityRestrictionsDefaultAction: 'Deny'/);
    expect(functionApp.text).toMatch(/scmIpSecurityRestrictionsUseMain: false/);
    expect(main.text).toMatch(/allowedAddresses: apiAllowedAddresses/);
    expect(main.text).toMatch(/allowedAddresses: lookupAllowedAddresses/);
  });

  it('keeps the lookup warm: always-ready HTTP instances, at least one', () => {
    expect(main.text).toMatch(/alwaysReady: \[\{ name: 'http', instanceCount: lookupAlwaysReady \}\]/);
    expect(/@minValue\((\d+)\)\s*@maxValue\(\d+\)\s*param lookupAlwaysReady/.exec(main.text)?.[1]).toBe('1');
    expect(functionApp.text).toMatch(/alwaysReady: alwaysReady/);
  });

  it('names the flow-through queue as the code does (FLOWTHROUGH_QUEUE), not as an app setting', () => {
    expect(evaluateVariable(main, 'flowthroughQueue', { parameters: {}, placeholders: {} })).toBe(FLOWTHROUGH_QUEUE);
    expect(writtenSettings().has('FLOWTHROUGH_QUEUE')).toBe(false);
  });
});

describe('app settings drift', () => {
  it('sets every setting the code reads, or lists it in infra/README.md with a reason', () => {
    const written = writtenSettings();
    const documented = documentedDefaults();
    const missing = [...codeSettings().read].filter(([name]) => !written.has(name) && !documented.has(name)).map(([name, where]) => `${name} (read at ${where})`);
    expect(missing).toEqual([]);
    expect([...documented].filter(([, reason]) => reason.length < 10).map(([name]) => name)).toEqual([]);
  });

  it('writes only settings the code or the Functions host reads, and documents none it writes', () => {
    const { read, connections } = codeSettings();
    const hostPrefixes = ['AzureWebJobsStorage__', 'APPLICATIONINSIGHTS_', ...[...connections].map((c) => `${c}__`)];
    const unread = [...writtenSettings()].filter(([name]) => !read.has(name) && !hostPrefixes.some((prefix) => name.startsWith(prefix))).map(([name, where]) => `${name} (${where})`);
    expect(unread).toEqual([]);
    const both = [...documentedDefaults().keys()].filter((name) => writtenSettings().has(name));
    expect(both).toEqual([]);
  });

  it('gives each app only its own groups\' settings (the lookup gets no Service Bus or DNS, the API no LOOKUP_*)', () => {
    const api = settingKeys(main, 'apiAppSettings');
    const lookup = settingKeys(main, 'lookupAppSettings');
    expect([...lookup].filter((k) => /^(ServiceBusConnection|DNS_|OC_)/.test(k))).toEqual([]);
    expect([...api].filter((k) => k.startsWith('LOOKUP_'))).toEqual([]);
    for (const keys of [api, lookup]) expect(keys.has('APP_FUNCTIONS')).toBe(true);
  });

  it('sets none of the settings Flex Consumption does not take, and no host storage connection string', () => {
    const forbidden = ['FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', 'WEBSITE_CONTENTSHARE', 'AzureWebJobsStorage'];
    expect([...writtenSettings().keys()].filter((k) => forbidden.includes(k))).toEqual([]);
  });

  it('applies extraAppSettings before the host settings, so they cannot replace the host storage connection', () => {
    expect(functionApp.text).toMatch(/properties: union\(appSettings, extraAppSettings, hostSettings\)/);
  });
});

describe('secrets', () => {
  it('has no key, SAS, password or keyed connection string anywhere in infra/', () => {
    const patterns = [/AccountKey\s*=/i, /SharedAccessKey(Name)?\s*=/i, /SharedAccessSignature/i, /[?&]sig=/i, /\bpassword\s*[:=]/i, /\blistKeys\s*\(/i, /\blistConnectionStrings?\s*\(/i, /\bclient_?secret\s*[:=]/i, /@secure\(\)/];
    const all = fs.readdirSync(INFRA_DIR, { recursive: true, encoding: 'utf8' }).map((name) => path.join(INFRA_DIR, name)).filter((p) => fs.statSync(p).isFile());
    const hits = all.flatMap((file) => {
      const text = fs.readFileSync(file, 'utf8');
      return patterns.flatMap((pattern) => {
        const m = pattern.exec(text);
        return m === null ? [] : [`${path.relative(process.cwd(), file)}:${text.slice(0, m.index).split('\n').length} ${m[0]}`];
      });
    });
    expect(hits).toEqual([]);
  });
});
