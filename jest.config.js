/** ESM + TypeScript through ts-jest; type checking is `npm run typecheck`, so tests only transpile. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/analysis/**/*.test.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
};
