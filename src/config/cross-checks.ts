// The checks that need more than one file: a tracker id that two tracker files use, and a
// source that speaks for a party no tracker watches or is about a tracker that does not exist.
import type { SourceFile } from './schema.js';
import type { Tracker } from './types.js';
import type { FileReport } from './yaml.js';

/** Tracker ids across the tracker files: the later file to use an id is at fault. */
export class TrackerIds {
  private readonly files = new Map<string, string>();

  /** Records that `report`'s file defines `id`; a problem there when an earlier file does too. */
  claim(id: string, report: FileReport): void {
    const prior = this.files.get(id);
    if (prior) report.problems.push({ file: report.label, line: report.lineOf(['id']), field: 'id', message: `tracker "${id}" is already defined in ${prior}` });
    this.files.set(id, report.label);
  }
}

/** Every party some tracker watches: the parties a source may speak for. */
export function watchedParties(trackers: Tracker[]): Set<string> {
  return new Set(trackers.flatMap((t) => t.parties.map((p) => p.id)));
}

/** The parties a source says it speaks for that no tracker watches. */
export function unknownSpokenFor(speaksFor: SourceFile['speaksFor'], watched: Set<string>): string[] {
  return Array.isArray(speaksFor) ? speaksFor.filter((p) => !watched.has(p)) : [];
}

/** The trackers a source says it is about that no tracker file defines. */
export function unknownAbout(about: string[] | undefined, trackers: Tracker[]): string[] {
  return (about ?? []).filter((id) => !trackers.some((t) => t.id === id));
}
