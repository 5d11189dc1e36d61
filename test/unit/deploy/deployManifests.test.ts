/**
 * No Docker engine or cluster runs here, so the deployment files are checked by reading them:
 * every variable they set is one the configuration knows and accepts, ports and probes match
 * what the processes serve, and the image starts the command the package ships.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { configVariableNames, loadConfig } from '../../../config/env.js';
import { createKeys } from '../../../storage/keys.js';

const deployDir = path.resolve('deploy');
const readDeploy = (file: string) => readFileSync(path.join(deployDir, file), 'utf8');

type Env = Record<string, string>;

interface Container {
  name: string;
  args?: string[];
  env?: { name: string; value: string }[];
  envFrom?: ({ configMapRef: { name: string } } | { secretRef: { name: string } })[];
  ports?: { name?: string; containerPort: number }[];
  readinessProbe?: { httpGet: { path: string; port: number } };
  livenessProbe?: { httpGet: { path: string; port: number } };
}

interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Env;
  stringData?: Env;
  spec?: Record<string, unknown>;
}

const manifests: Manifest[] = readdirSync(path.join(deployDir, 'kubernetes'))
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) => parseAllDocuments(readDeploy(path.join('kubernetes', file))).map((doc) => doc.toJS() as Manifest));

const byKind = (kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (kind: string, name: string) => {
  const found = byKind(kind).find((manifest) => manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} named ${name} in deploy/kubernetes`);
  return found;
};

interface PodSpec {
  terminationGracePeriodSeconds?: number;
  containers: Container[];
}
const podSpec = (deployment: Manifest) => (deployment.spec as { template: { spec: PodSpec } }).template.spec;
const onlyContainer = (deployment: Manifest) => {
  const [container, ...others] = podSpec(deployment).containers;
  if (!container || others.length > 0) throw new Error(`${deployment.metadata.name} should run one container`);
  return container;
};

/** The environment a container sees: its ConfigMaps and Secrets, then its own `env` entries. */
function containerEnv(container: Container): Env {
  const env: Env = {};
  for (const source of container.envFrom ?? []) {
    const manifest =
      'configMapRef' in source ? named('ConfigMap', source.configMapRef.name) : named('Secret', source.secretRef.name);
    Object.assign(env, manifest.data ?? {}, manifest.stringData ?? {});
  }
  for (const { name, value } of container.env ?? []) env[name] = String(value);
  return env;
}

function expectEveryVariableAccepted(where: string, env: Env) {
  const unknown = Object.keys(env).filter((name) => !configVariableNames.includes(name));
  expect({ where, unknown }).toEqual({ where, unknown: [] });
  expect(() => loadConfig(env)).not.toThrow();
}

const deployments = byKind('Deployment');
const api = named('Deployment', 'candela-api');
const worker = named('Deployment', 'candela-worker');

describe('Kubernetes manifests', () => {
  test.each(deployments.map((deployment) => [deployment.metadata.name, deployment] as const))(
    '%s sets only variables the configuration accepts',
    (name, deployment) => {
      expectEveryVariableAccepted(name, containerEnv(onlyContainer(deployment)));
    },
  );

  test('the API listens where its port, probes and Service point', () => {
    const container = onlyContainer(api);
    const config = loadConfig(containerEnv(container));
    expect(container.args).toEqual(['api']);
    expect(config.HOST).toBe('0.0.0.0');
    expect(container.ports?.map((port) => port.containerPort)).toEqual([config.PORT]);
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/ready', port: config.PORT });
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: config.PORT });
    const service = named('Service', 'candela-api').spec as { selector: Env; ports: { targetPort: number }[] };
    expect(service.ports.map((port) => port.targetPort)).toEqual([config.PORT]);
    expect(service.selector).toEqual((api.spec as { selector: { matchLabels: Env } }).selector.matchLabels);
  });

  test('a disruption budget keeps API pods up', () => {
    const budget = named('PodDisruptionBudget', 'candela-api').spec as { selector: { matchLabels: Env } };
    expect(budget.selector.matchLabels).toEqual((api.spec as { selector: { matchLabels: Env } }).selector.matchLabels);
  });

  test("workers outlive their shutdown grace and are probed on the metrics server's /health", () => {
    const container = onlyContainer(worker);
    const config = loadConfig(containerEnv(container));
    expect(container.args).toEqual(['worker']);
    expect(podSpec(worker).terminationGracePeriodSeconds).toBeGreaterThan(config.ANALYSIS_SHUTDOWN_GRACE);
    expect(config.METRICS_PORT).toBeDefined();
    expect(container.ports?.map((port) => port.containerPort)).toEqual([config.METRICS_PORT]);
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/health', port: config.METRICS_PORT });
  });

  test("KEDA scales the worker Deployment on the lag of every partition's stream and the consumer group", () => {
    const config = loadConfig(containerEnv(onlyContainer(worker)));
    const keys = createKeys(undefined, undefined, config.ANALYSIS_QUEUE_PARTITIONS);
    const [scaled, ...others] = byKind('ScaledObject');
    expect(others).toEqual([]);
    const spec = scaled!.spec as {
      scaleTargetRef: { name: string };
      triggers: { type: string; metadata: Env }[];
    };
    expect(spec.scaleTargetRef.name).toBe(worker.metadata.name);
    expect(config.ANALYSIS_QUEUE_PARTITIONS).toBeGreaterThan(1);
    expect(spec.triggers.map((trigger) => trigger.metadata.stream)).toEqual(keys.all().map((part) => part.stream));
    for (const trigger of spec.triggers) {
      expect(trigger).toMatchObject({ type: 'redis-streams', metadata: { consumerGroup: keys.group } });
      expect(Number(trigger.metadata.lagCount)).toBeGreaterThan(0);
    }
  });
});

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Env;
  ports?: string[];
  stop_grace_period?: string;
  deploy?: { replicas?: number };
}

/** `${NAME:-default}` becomes the default and `${NAME:?message}` a sample value, as compose would with NAME set. */
function interpolate(value: string): string {
  return value
    .replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')
    .replace(/\$\{AUTH_SECRET:\?[^}]*\}/g, 'a-sample-secret-of-enough-length');
}

describe('compose file', () => {
  const compose = parse(readDeploy('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const candela = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

  test('runs Redis with AOF and noeviction, MongoDB, two API nodes and three workers', () => {
    expect(compose.services.redis?.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(compose.services.mongo?.image).toMatch(/^mongo:/);
    const replicas = (command: string) =>
      candela
        .filter(([, service]) => service.command?.[0] === command)
        .reduce((sum, [, service]) => sum + (service.deploy?.replicas ?? 1), 0);
    expect(replicas('api')).toBe(2);
    expect(replicas('worker')).toBe(3);
  });

  test.each(candela.map(([name, service]) => [name, service] as const))(
    '%s sets only variables the configuration accepts',
    (name, service) => {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]),
      );
      expectEveryVariableAccepted(name, env);
    },
  );

  test('API nodes publish the port they listen on; workers stop later than their grace', () => {
    for (const [, service] of candela) {
      const env = Object.fromEntries(
        Object.entries(service.environment ?? {}).map(([key, value]) => [key, interpolate(String(value))]),
      );
      const config = loadConfig({ ...env, HOST: '0.0.0.0' });
      if (service.command?.[0] === 'api') {
        expect(service.ports?.map((mapping) => Number(mapping.split(':')[1]))).toEqual([config.PORT]);
      } else {
        expect(Number.parseInt(service.stop_grace_period ?? '10', 10)).toBeGreaterThan(config.ANALYSIS_SHUTDOWN_GRACE);
      }
    }
  });
});

describe('Dockerfile', () => {
  const dockerfile = readDeploy('Dockerfile');
  const instruction = (name: string) =>
    dockerfile
      .split('\n')
      .filter((line) => line.startsWith(`${name} `))
      .map((line) => line.slice(name.length + 1).trim());
  const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; bin: Env };

  test('is multi-stage, runs as a non-root user and has a health check', () => {
    expect(instruction('FROM').length).toBeGreaterThanOrEqual(2);
    expect(instruction('USER')).toEqual(['node']);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    expect(dockerfile).toMatch(/npm install --omit=dev/);
  });

  test("exposes the API's default port and the workers' metrics port", () => {
    const exposed = instruction('EXPOSE').flatMap((line) => line.split(/\s+/).map(Number));
    const workerPort = loadConfig(containerEnv(onlyContainer(worker))).METRICS_PORT;
    expect(exposed).toEqual(expect.arrayContaining([loadConfig({}).PORT, workerPort]));
  });

  test("starts the packed package's own bin", () => {
    const [entrypoint] = instruction('ENTRYPOINT');
    const command = JSON.parse(entrypoint!) as string[];
    expect(command).toEqual(['node', `node_modules/${packageJson.name}/${packageJson.bin.candela}`]);
  });
});
