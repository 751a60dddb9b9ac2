/** Jest: swc for speed (tsc --noEmit runs separately), fake Functions core so app.* registrations are captured. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^@azure/functions-core$': '<rootDir>/dev/host/fakeCore.ts' },
  transform: { '^.+\\.(t|j)s$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testTimeout: 60000,
};
