import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { testSuites } from './test/suites.js';

// Two suites: `npm test` runs both, `npm run test:unit` the unit suite alone, for the edit-test
// loop. Which suite a test file belongs to follows from what it imports: see test/suites.ts.
const { integration } = testSuites(dirname(fileURLToPath(import.meta.url)));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        // In-process only: the guard makes a test that starts something fail, saying why.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: integration, setupFiles: ['test/helpers/in-process.ts'] },
      },
      {
        extends: true,
        // The CLI tests run the built command, so the integration suite builds once first.
        test: { name: 'integration', include: integration, globalSetup: ['test/helpers/build.ts'] },
      },
    ],
  },
});
