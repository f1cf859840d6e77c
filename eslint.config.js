// The lint: which part of src/ may import which (the layers of DESIGN.md's data flow), checked on
// imports as resolved to files, plus typescript-eslint's recommended rules. `npm run lint`.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * What each part of src/ may import besides itself, Node's modules and packages. A folder or a
 * file at the top of src/. errors.ts (the error classes, which import nothing) is open to all
 * but model/.
 */
const STAGES = ['model', 'text', 'http', 'config', 'extract', 'status', 'alert', 'store', 'sources', 'publish', 'web', 'rules'];
const MAY_IMPORT = {
  // The shared vocabulary: nothing outside itself.
  model: [],
  // Pure helpers.
  text: ['model', 'errors.ts'],
  http: ['model', 'text', 'errors.ts'],
  config: ['model', 'text', 'errors.ts'],
  // The pure stages: the vocabulary and the helpers; config's types only (see TYPES_ONLY).
  extract: ['model', 'text', 'errors.ts'],
  status: ['model', 'text', 'errors.ts'],
  alert: ['model', 'text', 'errors.ts'],
  store: ['model', 'text', 'errors.ts'],
  // The two ends, where the network is.
  sources: ['model', 'text', 'http', 'config', 'errors.ts'],
  publish: ['model', 'text', 'http', 'store', 'alert', 'config', 'errors.ts'],
  // Readers of the store (the page serves the status board image the alerts carry).
  web: ['model', 'text', 'config', 'store', 'status', 'alert', 'errors.ts'],
  rules: ['model', 'text', 'config', 'extract', 'errors.ts'],
  // The orchestrators, which import several stages; the pipeline sees the app as a type only.
  pipeline: [...STAGES, 'errors.ts'],
  replay: [...STAGES, 'pipeline', 'errors.ts'],
  'app.ts': [...STAGES, 'pipeline', 'logger.ts', 'errors.ts'],
  commands: [...STAGES, 'pipeline', 'replay', 'app.ts', 'logger.ts', 'node-flags.ts', 'errors.ts'],
  'cli.ts': [...STAGES, 'pipeline', 'replay', 'commands', 'app.ts', 'logger.ts', 'node-flags.ts', 'errors.ts'],
  'bin.ts': ['cli.ts'],
  'errors.ts': [],
  'logger.ts': [],
  'node-flags.ts': [],
};
const PARTS = Object.keys(MAY_IMPORT);

/** Parts whose imports of another part must be `import type`: [importer, imported, why]. */
const TYPES_ONLY = [
  ['extract', 'config', 'extract reads config through its types: the loaded config is handed to it'],
  ['status', 'config', 'status reads config through its types: the loaded config is handed to it'],
  ['alert', 'config', 'alert reads config through its types: the loaded config is handed to it'],
  ['pipeline', 'app.ts', 'the pipeline takes the App as a parameter: only the composition root builds it'],
];

const at = (part) => `./src/${part}`;
const files = (part) => (part.endsWith('.ts') ? [`src/${part}`] : [`src/${part}/**/*.ts`]);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**'] },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommended],
    plugins: { 'import-x': importX },
    settings: {
      // ESM imports name the built .js file; the source beside it is .ts.
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      // A name that starts with _ is there to be ignored (a counting loop's variable, a rest's leftovers).
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: PARTS.map((part) => {
            const typed = TYPES_ONLY.filter(([importer]) => importer === part).map(([, imported]) => imported);
            const allowed = new Set([part, ...MAY_IMPORT[part], ...typed]);
            return {
              target: at(part),
              from: PARTS.filter((other) => !allowed.has(other)).map(at),
              message: `src/${part} may import only ${[...MAY_IMPORT[part], ...typed.map((t) => `${t} (types)`)].join(', ') || 'itself'} (eslint.config.js)`,
            };
          }).filter((zone) => zone.from.length > 0),
        },
      ],
    },
  },
  ...TYPES_ONLY.map(([importer, imported, why]) => ({
    files: files(importer),
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: [`**/${imported.endsWith('.ts') ? imported.replace(/\.ts$/, '.js') : `${imported}/*`}`], allowTypeImports: true, message: `import type only: ${why}` }] },
      ],
    },
  })),
);
