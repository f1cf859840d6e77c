// The one switch that rewrites the golden files (the shipped JSON Schemas, the hostile corpus's
// recorded outcomes) from what the code does now: PACTWATCH_UPDATE_GOLDEN=1. Review the diff.
// The names it replaces, UPDATE_SCHEMA=1 and PACTWATCH_RECORD_HOSTILE=1, still work.
export const UPDATE_GOLDEN = ['PACTWATCH_UPDATE_GOLDEN', 'UPDATE_SCHEMA', 'PACTWATCH_RECORD_HOSTILE'].some((name) => process.env[name] === '1');
