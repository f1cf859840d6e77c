import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, renderSchema } from '../../src/config/json-schema.js';

// Regenerate with UPDATE_SCHEMA=1 npx vitest run test/config/json-schema.test.ts (or npm run schema).
describe('shipped JSON Schemas', () => {
  for (const [name, schema] of Object.entries(jsonSchemas())) {
    it(`config/schema/${name} matches the zod schema`, () => {
      const file = join(import.meta.dirname, '../../config/schema', name);
      if (process.env.UPDATE_SCHEMA) writeFileSync(file, renderSchema(schema));
      expect(readFileSync(file, 'utf8')).toBe(renderSchema(schema));
    });
  }
});
