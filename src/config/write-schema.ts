// `npm run schema`: regenerates config/schema/*.json from the zod schemas.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGED_CONFIG_DIR } from './load.js';
import { jsonSchemas, renderSchema } from './json-schema.js';

const dir = join(PACKAGED_CONFIG_DIR, 'schema');
mkdirSync(dir, { recursive: true });
for (const [name, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(join(dir, name), renderSchema(schema));
  process.stderr.write(`wrote ${join(dir, name)}\n`);
}
