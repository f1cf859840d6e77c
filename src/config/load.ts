// Loads a config folder: parse YAML → validate the schema → normalize → cross-check.
// Every problem names its file, line and field; all of them are reported at once.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigProblem } from '../errors.js';
import { TrackerIds } from './cross-checks.js';
import { checkLanguage } from './language.js';
import { patternCheck } from './patterns.js';
import { settingsSchema, trackerSchema } from './schema.js';
import { languageSchema } from './language-schema.js';
import { loadSources } from './sources.js';
import { normalizeTracker } from './tracker.js';
import type { Config, Tracker } from './types.js';
import { parseYamlFile, type FileReport } from './yaml.js';

/** The config folder shipped with the package: the fallback for a missing language.yaml. */
export const PACKAGED_CONFIG_DIR = join(packageRoot(), 'config');

function packageRoot(): string {
  // src/config/ when run from source, dist/src/config/ when built: walk up to package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/**
 * Loads and checks a config folder; throws ConfigError listing every problem. `backtracking:
 * false` leaves out the check for patterns that backtrack catastrophically, for a caller that
 * has made it in another process.
 */
export function loadConfig(dir: string, options: { backtracking?: boolean } = {}): Config {
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const backtracking = options.backtracking !== false;
  const root = resolve(dir);
  // Paths as the user would type them: relative inside the working folder, absolute outside it.
  const label = (file: string) => {
    const rel = relative(process.cwd(), file);
    return rel && !rel.startsWith('..') ? rel : file;
  };

  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new ConfigError([{ file: label(root), message: 'config folder does not exist' }]);
  }

  let languageFile = join(root, 'language.yaml');
  if (!existsSync(languageFile)) {
    languageFile = join(PACKAGED_CONFIG_DIR, 'language.yaml');
    warnings.push({ file: label(join(root, 'language.yaml')), message: `missing; using the packaged ${label(languageFile)}` });
  }
  const lang = parseYamlFile(languageFile, label(languageFile), languageSchema, problems);
  if (lang.value) {
    const report: FileReport = { label: label(languageFile), lineOf: lang.lineOf, problems, warnings };
    checkLanguage(lang.value, patternCheck(report, backtracking));
  }

  const trackersDir = join(root, 'trackers');
  const files = existsSync(trackersDir) && statSync(trackersDir).isDirectory()
    ? readdirSync(trackersDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  if (files.length === 0) {
    problems.push({ file: label(trackersDir), message: 'no tracker files (trackers/*.yaml): there is nothing to watch' });
  }

  const trackers: Tracker[] = [];
  const trackerIds = new TrackerIds();
  let allTrackersRead = true;
  for (const f of files) {
    const file = join(trackersDir, f);
    const parsed = parseYamlFile(file, label(file), trackerSchema, problems);
    if (!parsed.value) {
      allTrackersRead = false;
      continue;
    }
    const before = problems.length;
    const report: FileReport = { label: label(file), lineOf: parsed.lineOf, problems, warnings };
    const tracker = normalizeTracker(parsed.value, report, patternCheck(report, backtracking));
    trackerIds.claim(tracker.id, report);
    if (problems.length === before) trackers.push(tracker);
  }

  const sourcesFile = join(root, 'sources.yaml');
  // A tracker file that could not be read leaves its parties unknown: every source that speaks
  // for one would be reported too, an error that follows from the first, so the check waits.
  const sources = loadSources(sourcesFile, label(sourcesFile), allTrackersRead ? trackers : undefined, problems, warnings);
  const settingsFile = join(root, 'pactwatch.yaml');
  const settings = existsSync(settingsFile)
    ? parseYamlFile(settingsFile, label(settingsFile), settingsSchema, problems).value
    : settingsSchema.parse({});

  if (problems.length > 0 || !lang.value || !settings) throw new ConfigError(problems);
  return Object.freeze({ dir: root, trackers, language: lang.value, sources, settings, warnings });
}
