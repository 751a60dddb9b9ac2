/**
 * The layer rules (docs/architecture.md), checked in CI by `npm run lint:deps`. Dependencies point
 * down: functions → shared; dev, bench and test may use everything, nothing in the product uses them.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'An import cycle means two modules are one concern, or one of them is in the wrong layer. A type-only ' +
        'import is erased at compile time and cannot form a load-order cycle, so a cycle through one is allowed.',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'product-never-imports-dev-tools',
      severity: 'error',
      comment: 'functions/ and shared/ run in Azure: the local host, benchmarks and tests are not deployed.',
      from: { path: '^(functions|shared)/' },
      to: { path: '^(dev|bench|test|portal)/' },
    },
    {
      name: 'shared-never-imports-functions',
      severity: 'error',
      comment: 'shared/ is the host-free core: functions/ adapts it to the Functions host, not the reverse.',
      from: { path: '^shared/' },
      to: { path: '^functions/' },
    },
    {
      name: 'rules-import-no-io',
      severity: 'error',
      comment: 'The contract and the domain rules are pure: no storage, flow-through or lookup behind them.',
      from: { path: '^shared/(contract|domain)/' },
      to: { path: '^shared/(store|flowthrough|lookup|provisioning|operations|teams|health)/' },
    },
    {
      name: 'lookup-decision-is-pure',
      severity: 'error',
      comment: 'The per-call decision reads only its own vocabulary: it runs on every SIP call.',
      from: { path: '^shared/lookup/decide\\.ts$' },
      to: { pathNot: '^shared/lookup/types\\.ts$' },
    },
    {
      name: 'only-store-touches-tables',
      severity: 'error',
      comment:
        'Table Storage is reached through shared/store only (the lookup view reads through it too): the SDK, its ' +
        'types and its odata helper included. No exceptions.',
      from: { path: '^(functions|shared)/', pathNot: '^shared/store/' },
      to: { path: '@azure/data-tables' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^dist/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^(functions|shared|dev|bench|test|portal|node_modules/@azure/data-tables)',
  },
};
