// JSON Schemas for editors, generated from the zod schemas so the two never disagree.
import { z } from 'zod';
import { replayItemSchema } from './replay-schema.js';
import { settingsSchema, sourcesSchema, trackerSchema } from './schema.js';
import { languageSchema } from './language-schema.js';

export function jsonSchemas(): Record<string, unknown> {
  const schema = (s: z.ZodType, title: string) => ({
    ...z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' }),
    title,
  });
  return {
    'tracker.schema.json': schema(trackerSchema, 'pactwatch tracker (config/trackers/*.yaml)'),
    'language.schema.json': schema(languageSchema, 'pactwatch language cues (config/language.yaml)'),
    'sources.schema.json': schema(sourcesSchema, 'pactwatch sources (config/sources.yaml)'),
    'settings.schema.json': schema(settingsSchema, 'pactwatch settings (config/pactwatch.yaml)'),
    'replay-item.schema.json': schema(replayItemSchema, 'pactwatch replay item (one line of the JSON Lines file `pactwatch replay` reads)'),
  };
}

export function renderSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
