import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, renderSchema } from '../../src/config/json-schema.js';
import { UPDATE_GOLDEN } from '../helpers/golden.js';

// Regenerate with PACTWATCH_UPDATE_GOLDEN=1 npx vitest run test/config/json-schema.test.ts (or npm run schema).
describe('shipped JSON Schemas', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`config/schema/${name} matches the zod schema`, () => {
      const file = join(import.meta.dirname, '../../config/schema', name);
      if (UPDATE_GOLDEN) writeFileSync(file, renderSchema(schema));
      expect(readFileSync(file, 'utf8')).toBe(renderSchema(schema));
    });
  }
});
