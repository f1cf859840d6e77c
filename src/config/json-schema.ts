// JSON Schemas for editors, generated from the zod schemas so the two never disagree.
import { z } from 'zod';
import { languageSchema, settingsSchema, sourcesSchema, trackerSchema } from './schema.js';

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
  };
}

export function renderSchema(schema: unknown): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
