/**
 * The layering, checked on every `npm run lint`:
 *
 *   router ──► storage ◄── actors ◄── supervisors
 *     │                      │
 *     └──► pipeline ◄────────┴────────── supervisors (breakers)
 *                                     pipeline ──► analysis, storage, integrations, config
 *                                     integrations ──► analysis, config, storage/failures
 *   actors ──► analysis               analysis ──► npm packages only (pure: no node:, no I/O)
 *
 * bench/, bin/ and test/ sit on top and may import anything. Type-only imports count:
 * a type pulled across a boundary couples the layers as much as a value does.
 */
const TOP = '^(bench|bin|test)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes module initialisation order matter and the layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time. examples/ imports the published package by name.',
      from: { pathNot: '^examples/' },
      to: { couldNotResolve: true },
    },
    {
      name: 'analysis-no-node-builtins',
      severity: 'error',
      comment: 'analysis/ is pure computation over data it is given: no file system, network, zlib or wasm loading.',
      from: { path: '^analysis/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'analysis-only-analysis',
      severity: 'error',
      comment: 'analysis/ imports only itself and npm packages, so it can run anywhere (threads, benches, tests).',
      from: { path: '^analysis/' },
      to: {
        dependencyTypesNot: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-no-pkg'],
        pathNot: '^analysis/',
      },
    },
    {
      name: 'client-only-types-from-the-server',
      severity: 'error',
      comment: 'The light client package ships without the server: it takes the router type, never server code.',
      from: { path: '^client/' },
      to: { pathNot: '^client/', dependencyTypesNot: ['type-only', 'npm'] },
    },
    {
      name: 'dashboard-only-types-from-the-server',
      severity: 'error',
      comment: 'The browser bundle takes the API types from the server and pure analysis/ code, never server code.',
      from: { path: '^dashboard/' },
      to: {
        path: '^(router|storage|actors|supervisors|pipeline|integrations|config|bin)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'router-not-to-actors-or-supervisors',
      severity: 'error',
      comment: 'API nodes queue jobs through storage; the actor tree runs only in workers.',
      from: { path: '^router/' },
      to: { path: '^(actors|supervisors)/' },
    },
    {
      name: 'storage-is-a-bottom-layer',
      severity: 'error',
      comment: 'storage/ is used by router, actors and pipeline and must not know any of them.',
      from: { path: '^storage/' },
      to: { path: '^(actors|supervisors|router|pipeline)/' },
    },
    {
      name: 'actors-not-to-supervisors-or-router',
      severity: 'error',
      comment: 'Supervisors spawn actors, not the other way round; actors never reach into the API.',
      from: { path: '^actors/' },
      to: { path: '^(supervisors|router)/' },
    },
    {
      name: 'pipeline-imports',
      severity: 'error',
      comment:
        'pipeline/ (analysis stages with I/O) builds on analysis, storage, integrations and config (its logger) only.',
      from: { path: '^pipeline/' },
      to: { path: '^(?!(pipeline|analysis|storage|integrations|config)/)[^/]+/', dependencyTypes: ['local'] },
    },
    {
      name: 'pipeline-importers',
      severity: 'error',
      comment:
        'The stages are run by the job actor children and the immediate-analysis thread; supervisors hold the breakers of the same state machine.',
      from: { pathNot: `^(pipeline|actors|router|supervisors)/|${TOP}` },
      to: { path: '^pipeline/' },
    },
    {
      name: 'integrations-imports',
      severity: 'error',
      comment:
        'integrations/ (market-data, LLM and rasteriser clients) builds on analysis types and config, and classifies its errors with the failure classes every layer retries by.',
      from: { path: '^integrations/' },
      to: { path: '^(?!(integrations|analysis|config)/|storage/failures[.]ts$)[^/]+/', dependencyTypes: ['local'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|coverage|deploy|docs|scripts|data)/|^[^/]+[.](c|m)?js$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
