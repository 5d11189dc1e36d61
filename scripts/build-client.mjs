// The @candela/client package from the server's compiled output: its JavaScript as tsc wrote
// it, and one declaration file in which the router type no longer mentions the server's context
// (the only route from the API's types to ws, ioredis and the rest), bundled by rollup-plugin-dts.
// It fails when anything but tRPC is left to import, since the client's users would lack it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { rollup } from 'rollup';
import { dts } from 'rollup-plugin-dts';

const compiled = path.resolve('dist/client/src');
const out = path.resolve('client/dist');
const ALLOWED = /^@trpc\/(client|server)(\/|$)/;

/** Procedures never expose the context to callers; an empty one keeps its imports out. */
const emptyContext = {
  name: 'candela-empty-context',
  load(id) {
    if (id === path.resolve('dist/router/context.d.ts'))
      return 'export interface Context {}\nexport interface ContextSource {}\n';
    return null;
  },
};

function importsOf(code) {
  return [...code.matchAll(/(?:^|\s)(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((match) => match[1]);
}

function checkImports(file, code) {
  const foreign = importsOf(code).filter((specifier) => !ALLOWED.test(specifier) && !specifier.startsWith('./'));
  if (foreign.length > 0)
    throw new Error(`${file} imports ${[...new Set(foreign)].join(', ')}: the client may depend on tRPC only`);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const bundle = await rollup({
  input: path.join(compiled, 'index.d.ts'),
  plugins: [emptyContext, dts()],
  external: (id) => ALLOWED.test(id),
});
const { output } = await bundle.generate({ format: 'es' });
await bundle.close();
const declarations = output[0].code;
checkImports('index.d.ts', declarations);
writeFileSync(path.join(out, 'index.d.ts'), declarations);

const javascript = readFileSync(path.join(compiled, 'index.js'), 'utf8').replace(
  /\n\/\/# sourceMappingURL=.*\n?$/,
  '\n',
);
checkImports('index.js', javascript);
writeFileSync(path.join(out, 'index.js'), javascript);
console.log(`client/dist: index.js ${javascript.length} B, index.d.ts ${declarations.length} B`);
