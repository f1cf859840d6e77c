// Which parties a cue names: the subject before it, the object after it, the name an aside speaks of, a subject carried over.
import { asideAt, CONTRASTED, GERUND, textOutsideAsides, wordsOutsideAsides } from './structure.js';
import { partyGroup } from './mentions.js';
import { clauseOf, wordsBetween } from './spans.js';
import type { CueContext, CueMatch, CuePlace, PartyMention, SentenceTrace, Span } from './trace.js';

const q = (s: string) => JSON.stringify(s);

// A word that opens a subordinate clause: no party after it is the object of a cue before it.
// ("More than a dozen models from Anthropic" is a number, not a comparison.)
const SUBORDINATE = /(?<![\p{L}\p{N}])(?:after|before|when|whenever|while|since|because|(?<!(?:more|fewer|less) )than|that|which|who|whom|until|unless|if|whether)(?![\p{L}\p{N}])/iu;

// A noun phrase that is the cue's own subject, just before it: "his company signed", "the others have".
const OWN_SUBJECT = /\s(?:the|his|her|its|their|our)\s+(?:own\s+)?(?:company|firm|lab|labs|agency|institute|government|department|administration|officials|others|rest|rivals|competitors|peers|counterparts)(?:\s+(?:has|have|had|is|are|was|were|did|does|do|will|would|also|already|just|not|quietly|reportedly))*\s*$/iu;

// A verb group in what would be a cue's object: the object has ended and a clause has begun.
const FINITE_VERB = /(?<![\p{L}\p{N}])(?:would|will|could|can|should|may|might|must|does|did|do|is|are|was|were|has|have|had)(?: not|n't)?(?: [\p{L}-]+ly)? (?!been )[\p{L}-]+/iu;

// A comparison between a cue and a name: the name is what the object was measured against
// ("evaluated DeepSeek's models against reference models from OpenAI", "CAISI's evaluation
// compared DeepSeek to top US models, including Anthropic's"), not the object.
const COMPARISON = /(?<![\p{L}\p{N}])(?:against|versus|vs|compar(?:ed|es|ing|ison)|relative to|benchmarked)(?![\p{L}\p{N}])/iu;

// An infinitive between a cue and a name: the name is the infinitive's object ("pressing the
// company to join OpenAI and xAI in giving …" presses the company, not OpenAI).
const INFINITIVE = /(?<![\p{L}\p{N}])to (?:join|sign|follow|submit|share|give|provide|allow|let|open|hand|grant|agree|commit|accept|adopt|match|emulate)(?![\p{L}\p{N}])/iu;

// A participle of result after a comma opens a clause of its own: "have committed to submitting
// models to CAISI, leaving Meta as the primary outlier" commits the labs, not Meta.
const RESULT_CLAUSE = /[,—]\s+(?:leaving|making|marking|putting|placing|rendering|prompting|forcing|isolating|casting)(?![\p{L}\p{N}])/iu;

// A cue that ends on its counterparty's preposition: "partnership with", "deal with".
const COUNTERPARTY = /\swith$/iu;

// A party's possessive right before the cue: "Amazon's", "Amazon's new", "its own".
const OWNED = /^\s+(?:(?:new|own|latest|earlier|existing|separate|recent)\s+)?$/iu;
const POSSESSOR = /^['’]s\s+(?:(?:new|own|latest|earlier|existing|separate|recent)\s+)?$/iu;

// The end of a noun phrase that a list of names right after it names (a plural noun of companies, then a comma, a colon or "including").
// (A relative clause may describe the noun first: "the three companies that dominate frontier AI — A, B and C".)
const NAMING_PHRASE = /\s(?:companies|firms|labs|startups|start-ups|developers|giants|makers|players|leaders|providers)(\s+(?:that|which|who)\s+[^,;:—()]{1,60})?(?:,|:| —| such as| including| like| namely)\s*$/iu;
const MAX_NAMING_WORDS = 6;
const MAX_NAMING_CLAUSE_WORDS = 8;
const COLON_LIST = /:\s*$/u;
const MAX_COLON_WORDS = 12;

// An object stands close to its cue: "agreements with leading developers Google, …", not
// "evaluation of DeepSeek compared the Chinese models against systems including OpenAI's".
const MAX_OBJECT_GAP = 8;

// Between a subject and its verb: an infinitive with an object of its own, or a subordinate clause.
// ("Have since" is an adverb: "OpenAI and Anthropic have since handed over dozens of models".)
// ("Whose" opens a clause with a subject of its own: "Meta joined the Forum, whose members signed".)
const OTHER_PREDICATE = /(?<![\p{L}\p{N}])(?:to [\p{L}'-]+ (?:the|a|an|its|their|his|her|this|that|these|those) |(?:after|before|because|when|whenever|(?<!(?:has|have|had|ever|long) )since|until|unless|if|although|though|while|whose)(?![\p{L}\p{N}]))/iu;

// A relative pronoun right before the cue, after a noun of its own: the cue's subject is that noun
// ("urging Meta to sign onto a framework that lets officials inspect models": the framework lets).
// ("Said that" opens what was said, not a relative clause.)
const RELATIVE_SUBJECT =
  /(?<!(?:said|says|say|told \S+|confirmed|confirms|announced|announces|stated|states|noted|notes|added|adds|indicated|indicates|believes?|believed|hopes?|hoped|thinks?|thought|expects?|expected|reported|reports|argued|argues|claims?|claimed|insisted|insists|wrote|writes|explained|acknowledged|suggested|suggests|signaled|signalled|signals))(?<=[\p{L}\p{N}])\s+(?:that|which)\s+(?:(?:has|have|had|will|would|also|now|already|then|still|\p{L}+ly)\s+)*$/iu;
// Unless the noun is the party's own predicate: "Meta is the only lab that still …" speaks of Meta.
const COPULA = /^[\s,]*(?:(?:also|now|still|already|thus)\s+)*(?:is|was|are|were|remains?|remained|becomes?|became|has been|had been|stands? as|stood as)\s/iu;
// But a group the party is said not to belong to is no predicate of it: in "Meta was not among the
// companies that agreed", the companies agreed and Meta did not.
const NOT_MEMBER = /^[\s,]*(?:(?:also|now|still|thus)\s+)*(?:(?:is|was|are|were|remains?|remained)\s+(?:not|never)|isn't|wasn't|aren't|weren't)\s+(?:(?:yet|still)\s+)?(?:among|one of|part of)\s/iu;

// A clause opened by "as" or "whereas" with a subject of its own, a noun that is no party: "Meta
// holds out as rivals open their models to U.S. testers" (the rivals open them). (The other
// subordinating words end the subject's reach wherever they stand: OTHER_PREDICATE.)
const AS_CLAUSE_SUBJECT = /\s(?:as|whereas)\s+(?:(?:the|its|their|other|many|most|several|some|all)\s+)*(?:rivals|competitors|peers|counterparts|others|companies|labs|firms|developers|startups)(?:\s+(?:has|have|had|are|were|did|do|also|already|now|all|quickly|reportedly))*\s*$/iu;

// A gerund after "for" has the verb's object as its subject: "Meta criticized rivals for signing"
// (the rivals signed), as in "praised Meta for signing"; unless the object is what the party
// earned ("Meta drew praise for signing").
const FOR_GERUND_OBJECT =
  /^\s*(?:\p{L}+ly\s+)?(?!(?:is|was|are|were|be|been|being|has|have|had|does|did|do)\s)\p{L}+(?:ed|s)\s+(?!(?:praise|criticism|credit|plaudits|flak|backlash|attention|applause|scrutiny|heat|kudos|fire|headlines)\s)(?:[\p{L}'-]+\s+){1,3}for\s+$/iu;

// The end of a gap that is a second verb phrase's start: "… and is continuing", "… and anticipates".
const COORDINATED_VERB = /\sand\s+(?:(?:is|are|was|were|has|have|had|will|would|also|still|now|then|later|has since)\s+)*$/iu;

// Words that may stand between a clause boundary and its verb when the subject is carried
// over from the clause before ("Meta signed the EU code but has not signed CAISI's").
const CARRY_OVER = /^(?:[\s,;]|but|and|yet|while|though|although|however|meanwhile|too|instead|it|has|have|had|is|was|did|does|do|not|n't|still|also|then|later|now|so far|never|already|formally|officially|quietly|reportedly|eventually)*$/iu;

// What may stand before a sentence's subject: nothing, or a determiner.
const SUBJECT_FIRST = /^\W*(?:the\s+)?$/iu;

// Dashes or brackets around a noun phrase are an appositive too: "Amazon and Nvidia — the two
// labs in the program — met …".
const NOUN_PHRASE_ASIDE = /^[(—–-]\s*(?:the|both|all|each|two|three|four|five|six|seven|its|their)\s/iu;

// A participle with its agent after it, right after a document's noun, says who made the
// document, and its subject is the document: "Meta criticized the agreement signed by five other
// labs" (whoever signed, Meta did not). The party is the agent, after "by".
const DOCUMENT_BEFORE = /\b(?:agreements?|deals?|pacts?|arrangements?|accords?|MOUs?|memorand(?:um|a|ums)(?: of understanding)?|contracts?|letters?|statements?|pledges?|commitments?|documents?|treat(?:y|ies)|codes?|declarations?)\s+$/iu;
const AGENT_AFTER = /^\s+by\s/iu;

// Parties: the list nearest the cue, on the side the rule names, looking past asides. A cue
// outside an aside takes no party from inside one; a cue inside one takes its parties from
// there, and a relative clause or appositive with none speaks of the list just before it
// ("Meta, which has not signed, …").
export function cueParties(cc: CueContext, { clause, room }: CuePlace, cue: CueMatch): { parties: PartyMention[]; reason: string; presupposed: PartyMention[] } {
  const { lang, st, starts, claimed } = cc;
  const text = st.text;
  const inClause = (sp: Span) => clauseOf(starts, sp.start) === clause;
  let reason = '';
  // A name the sentence sets against another by "not" is neither one's subject nor object:
  // "OpenAI, not Meta, signed" (the cue's own "but not" names its object: "all but not Meta").
  const contrasted = (m: PartyMention) => CONTRASTED.test(text.slice(m.end <= cue.start ? Math.max(0, m.start - 40) : cue.end, m.start));
  const mentions = st.parties.filter((m) => inClause(m) && !claimed.has(m) && asideAt(st.asides, m.start) === room && !contrasted(m));
  // An agreement's name between a cue and its object is part of the cue's complement ("signed
  // with the Center for AI Standards and Innovation by Google"): its words put no distance.
  const skipped = [...st.asides, ...st.agreements].sort((a, b) => a.start - b.start);
  const gap = (from: number, to: number) => wordsOutsideAsides(text, st.asides, from, to);
  const objectGap = (from: number, to: number) => wordsOutsideAsides(text, skipped, from, to);
  // How the party stands to the cue, for `explain`.
  let role = '';
  const antecedent = () => {
    if (!room || !(room.kind === 'relative' || room.kind === 'appositive' || NOUN_PHRASE_ASIDE.test(room.text))) return [];
    role = `the name the ${room.kind === 'relative' ? 'relative clause' : 'appositive'} ${q(room.text.replace(/^[,(—–-]\s*/, ''))} speaks of`;
    // (An opening comparison's names are nouns a relative clause may hang on: "Unlike OpenAI,
    // which signed in 2024, and xAI, which joined this year, Meta …".)
    const outside = st.parties.filter((m) => !claimed.has(m) && (asideAt(st.asides, m.start)?.kind ?? 'comparison') === 'comparison');
    // A dash that ends the sentence sets off an appositive of its subject, however long the
    // predicate between: "Meta Defies White House Push for Reviews — the Lone Holdout".
    if (room.kind === 'appositive' && room.end === text.length && /^[—–-]/u.test(room.text) && outside.length > 0 && SUBJECT_FIRST.test(text.slice(0, outside[0]!.start))) {
      return partyGroup(lang, text, outside, 0, 1);
    }
    const i = outside.findLastIndex((m) => m.end <= room.start);
    // (A corporate suffix may stand between: "Anthropic PBC, which signed in 2024, …".)
    if (i < 0 || !lang.listGapRe.test(`${text.slice(outside[i]!.end, room.start)},`)) return [];
    return partyGroup(lang, text, outside, i, -1).reverse();
  };
  const before = () => {
    const i = mentions.findLastIndex((m) => m.end <= cue.start);
    if (i >= 0 && gap(mentions[i]!.end, cue.start) > lang.maxPartyGap) {
      // A second verb phrase shares the first one's subject: "Meta shares the goal … and
      // anticipates signing", however long the first phrase.
      const and = COORDINATED_VERB.exec(textOutsideAsides(text, st.asides, mentions[i]!.end, cue.start));
      if (and) {
        role = 'subject, shared with the verb phrase before "and"';
        return partyGroup(lang, text, mentions, i, -1).reverse();
      }
    }
    if (i < 0 || gap(mentions[i]!.end, cue.start) > lang.maxPartyGap) return antecedent();
    // A verb of another clause stands between ("ordered Anthropic to pause its release to undergo testing"),
    // or the cue has a subject of its own right before it ("… the agreement his company signed").
    const lead = textOutsideAsides(text, st.asides, mentions[i]!.end, cue.start);
    if (OTHER_PREDICATE.test(lead) || OWN_SUBJECT.test(lead) || AS_CLAUSE_SUBJECT.test(lead) || (GERUND.test(cue.text) && FOR_GERUND_OBJECT.test(lead)) || (RELATIVE_SUBJECT.test(lead) && (!COPULA.test(lead) || NOT_MEMBER.test(lead))) || agencySubject(text, st, mentions[i]!, cue, lang.listGapRe)) return antecedent();
    role = `subject, before the cue${gap(mentions[i]!.end, cue.start) < wordsBetween(text, mentions[i]!.end, cue.start) ? ' (past an aside or the verb group)' : ''}`;
    return partyGroup(lang, text, mentions, i, -1).reverse();
  };
  const after = () => {
    const i = mentions.findIndex((m) => m.start >= cue.end);
    // A noun phrase that the list names may stand first: "agreements with two of the most
    // prominent AI startups, OpenAI and Anthropic".
    // So may a noun phrase that a colon closes: "includes the three companies leading AI development in the U.S.: Google, …".
    const lead = i >= 0 ? text.slice(cue.end, mentions[i]!.start) : '';
    const named = NAMING_PHRASE.exec(lead);
    const naming = named ? MAX_NAMING_WORDS + (named[1] ? MAX_NAMING_CLAUSE_WORDS : 0) : COLON_LIST.test(lead) ? MAX_COLON_WORDS : 0;
    if (i < 0 || objectGap(cue.end, mentions[i]!.start) > Math.min(lang.maxPartyGap, MAX_OBJECT_GAP) + naming) return [];
    // The cue's object ends where a subordinate clause begins ("pressure on the holdout weeks
    // after ordering Anthropic") or a verb of its own ("an agreement with CAISI would not give
    // the government a veto over Meta's releases"); a relative clause on the naming noun is no end.
    const objectEnd = named?.[1] ? cue.end + named.index + named[0].indexOf(named[1]) : mentions[i]!.start;
    // (An aside the cue stands in is the cue's own text: "— negotiated down after lobbying by Zuckerberg —".)
    const between = textOutsideAsides(text, st.asides.filter((a) => !(a.start <= cue.start && cue.end <= a.end)), cue.end, objectEnd);
    // Nor is a name the sentence sets against the object ("tested DeepSeek's model, not Meta's").
    if (SUBORDINATE.test(between) || FINITE_VERB.test(between) || COMPARISON.test(between) || INFINITIVE.test(between) || RESULT_CLAUSE.test(between) || CONTRASTED.test(between)) return [];
    role = 'object, after the cue';
    return partyGroup(lang, text, mentions, i, 1);
  };
  // A deal a party owns, with another party: "Amazon's new partnership with Nvidia", "announced
  // its agreement with Nvidia" make neither a signatory of this agreement.
  if (COUNTERPARTY.test(cue.text) && ownedByParty(st, cue) && st.parties.some((p) => p.start >= cue.end && /^\s*(?:(?:rival|chipmaker|startup|lab|firm)\s+)?$/iu.test(text.slice(cue.end, p.start)))) {
    return { parties: [], reason: 'a deal one party owns with another is between the two of them', presupposed: [] };
  }
  let group: PartyMention[] = [];
  let presupposed: PartyMention[] = [];
  if (cue.rule.bothSides) {
    const subject = before();
    const subjectRole = role;
    const object = after();
    // ("Would join OpenAI and Anthropic": the ones joined are in, whatever the joiner does.)
    if (cue.rule.presupposes === 'object') [group, presupposed] = [subject, object];
    else group = [...subject, ...object];
    reason = [subject.length ? subjectRole : '', object.length ? role : ''].filter(Boolean).join('; ');
  } else {
    const reducedRelative = AGENT_AFTER.test(text.slice(cue.end, cue.end + 4)) && DOCUMENT_BEFORE.test(text.slice(Math.max(0, cue.start - 40), cue.start));
    for (const [i, side] of cue.rule.party.entries()) {
      if (side === 'before' && reducedRelative) continue;
      group = side === 'after' ? after() : before();
      if (group.length) {
        reason = `${role}${i > 0 ? ` (none ${cue.rule.party[0]} it)` : ''}`;
        break;
      }
    }
  }
  if (group.length === 0 && cue.rule.party.includes('before') && clause > 0) {
    // Carry the subject over from the previous clause when this one has none of its own.
    const lead = text.slice(starts[clause]!, cue.start);
    if (CARRY_OVER.test(lead)) {
      const prev = st.parties.filter((m) => clauseOf(starts, m.start) === clause - 1 && !claimed.has(m));
      if (prev.length > 0) {
        // A name that ends the clause before, right at the boundary, is the subject a sentence
        // adverb interrupted ("After Microsoft joined, Amazon, meanwhile, renewed"); else the first list.
        const adjacent = /^[\s,]*$/.test(text.slice(prev.at(-1)!.end, starts[clause]!));
        group = adjacent ? partyGroup(lang, text, prev, prev.length - 1, -1).reverse() : partyGroup(lang, text, prev, 0, 1);
        reason = 'subject, carried over from the previous clause';
      }
    }
  }
  return { parties: group, reason, presupposed };
}

/** Whether the cue's noun is a party's own: "Amazon's", "Amazon's new", "its", "their own". */
function ownedByParty(st: SentenceTrace, cue: Span): boolean {
  return st.parties.some((p) => {
    if (p.end > cue.start) return false;
    const between = st.text.slice(p.end, cue.start);
    if (/^(?:its|their)$/iu.test(p.text)) return OWNED.test(between);
    // (The cue may start on the "'s" itself: "'s new partnership with".)
    return between === '' ? /^['’]s\s/u.test(cue.text) : POSSESSOR.test(between);
  });
}

// The verb group's words between an agreement's name and the cue it is the subject of.
const VERB_GROUP_ONLY = /^(?:\s+(?:has|have|had|was|were|is|are|also|already|just|quietly|formally|first|then|now|since))*\s*$/iu;

/** The agreement's own name is the cue's subject ("the partnerships CAISI established with OpenAI"), not the party before it, unless the two are one list ("Meta and CAISI have agreed"). */
function agencySubject(text: string, st: SentenceTrace, party: Span, cue: Span, listGap: RegExp): boolean {
  // (Only before a verb in the past: a noun such as "holdout" or "talks" after a name is a compound.)
  if (!/^[\p{L}-]+ed(?![\p{L}])/u.test(cue.text)) return false;
  return st.agreements.some((a) => a.start >= party.end && a.end <= cue.start && VERB_GROUP_ONLY.test(text.slice(a.end, cue.start)) && !listGap.test(text.slice(party.end, a.start)));
}
