import { describe, expect, it } from 'vitest';
import { claims, extractor, short } from '../helpers/extractor.js';
import { analyze, extract } from '../../src/extract/extract.js';

describe('status and modality', () => {
  it('a plain signing is signed and asserted', () => {
    expect(claims('Meta signs the CAISI pre-release testing agreement')).toEqual(['meta signed']);
  });

  it('a hypothetical signing does not read as a signing', () => {
    expect(claims("If Meta does eventually sign, it would join every other lab in CAISI's testing regime.")).toEqual([
      'meta signed hypothetical',
    ]);
  });

  it('a question is hypothetical, but "why doesn\'t" presumes its answer: a holdout', () => {
    expect(claims('Will Meta sign the CAISI agreement?')).toEqual(['meta signed hypothetical']);
    // Changed in issue 15: the real corpus's conventions read a question that presumes the fact as asserting it.
    expect(claims("Why doesn't Meta sign the CAISI agreement?")).toEqual(['meta holdout']);
  });

  it('futures and plans are hypothetical', () => {
    expect(claims('Meta is expected to sign the pre-release testing agreement next week.')).toEqual(['meta signed hypothetical']);
    expect(claims('Thinking Machines, SSI weigh joining U.S. pre-release model reviews')).toEqual([
      'thinking-machines signed hypothetical',
      'ssi signed hypothetical',
    ]);
  });

  it('a headline of a short noun phrase and "to" announces what will happen; one with a verb or hedge in it does not', () => {
    expect(claims('Commerce to test new AI models from Amazon and Nvidia before release')).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('Feds to get early access to Amazon, Nvidia AI models')).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('Nvidia expected to give CAISI early access to its models')).toEqual(['nvidia signed hypothetical']);
    expect(claims('Commerce to test new AI models from Amazon and Nvidia before release.')).toEqual(['amazon signed hypothetical', 'nvidia signed hypothetical']);
  });

  it('a sentence opening on the agreement\'s terms says what it obliges: its "would" is no hedge', () => {
    expect(claims('Under the agreements, Amazon and Nvidia would each give CAISI evaluators early access to new models.')).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('Amazon and Nvidia would each give CAISI evaluators early access to new models.')).toEqual(['amazon signed hypothetical', 'nvidia signed hypothetical']);
    // (A name's note in brackets does not end the list.)
    expect(claims('Under the deals, Amazon, Microsoft (its cloud-hosted partner models included) and Nvidia would give CAISI early access to new models.')).toEqual([
      'amazon signed',
      'microsoft signed',
      'nvidia signed',
    ]);
  });

  it('a signing named as a noun, with a modal or a forecast of its own, is hypothetical', () => {
    expect(claims("An Amazon signing would complete CAISI's roster of frontier labs.")).toEqual(['amazon signed hypothetical']);
    expect(claims('Amazon signing the CAISI agreement is only a matter of time, an analyst said.')).toEqual(['amazon signed hypothetical']);
    // (A month after the verb is no modal.)
    expect(claims('Amazon joined the CAISI program May 5.')).toEqual(['amazon signed']);
  });

  it('a relative clause states a fact of its own, whatever hedges the clause around it', () => {
    expect(claims('It is unclear whether xAI, which signed the CAISI agreement in May, will grant the same access as its peers.')).toEqual(['xai signed']);
    expect(claims('Meta, which has not signed the CAISI agreement, may never do so.')).toEqual(['meta holdout', 'meta holdout hypothetical']);
  });

  it("a party's own word that it will sign is its intent, unless it sets a condition", () => {
    expect(claims('Meta said Tuesday it will sign the CAISI agreement.')).toEqual(['meta signed']);
    expect(claims('Meta said it will sign the CAISI agreement only if the terms change.')).toEqual(['meta signed hypothetical']);
    // A headline's "X to share …" is the parties' own announced intent; "asked Meta to share" is not Meta's.
    expect(claims('OpenAI, Anthropic to share AI models with CAISI before release')).toEqual(['openai signed', 'anthropic signed']);
    expect(claims('Officials asked Meta to share its models with CAISI before release')).toEqual(['meta pressed']);
  });

  it('a negated signing is an asserted holdout', () => {
    expect(claims('Meta has not signed the CAISI agreement.')).toEqual(['meta holdout']);
    expect(claims("meta still hasn't signed the caisi agreement lol")).toEqual(['meta holdout']);
    expect(claims('Neither Meta nor Amazon signed the pre-release testing agreement.')).toEqual(['meta holdout', 'amazon holdout']);
  });

  it('other negated statuses keep their status and are negated', () => {
    expect(claims('Nvidia is not negotiating with Commerce over AI testing')).toEqual(['nvidia negotiating negated']);
    expect(claims('Amazon denied reports that it had pulled out of the pre-release testing deal.')).toEqual(['amazon withdrawn negated']);
  });

  it('"not only … but also" is no negation and keeps the list together', () => {
    expect(claims("Not only Google DeepMind but also Microsoft and xAI signed CAISI's testing agreement.")).toEqual([
      'google-deepmind signed',
      'microsoft signed',
      'xai signed',
    ]);
  });

  it('declined, pressed, negotiating and withdrawn have their own cues', () => {
    expect(claims('Meta declined to sign the pre-release testing agreement, a spokesperson said.')).toEqual(['meta declined']);
    expect(claims('Meta declined to comment on the CAISI testing agreement.')).toEqual([]);
    expect(claims('White House urges Meta to sign CAISI pre-release testing agreement')).toEqual(['meta pressed']);
    expect(claims('An OpenAI executive urged xAI to sign the CAISI agreement.')).toEqual(['xai pressed']);
    expect(claims('Meta in talks with Commerce over pre-release AI testing')).toEqual(['meta negotiating']);
    expect(claims('xAI withdrew from the CAISI testing agreement on Friday.')).toEqual(['xai withdrawn']);
  });

  it('signed then withdrew keeps both claims', () => {
    expect(claims('xAI signed the CAISI agreement in May, then withdrew from it.')).toEqual(['xai signed', 'xai withdrawn']);
  });
});

describe('parties', () => {
  it('a list gives the status to every party in it', () => {
    expect(claims('Google DeepMind, Microsoft, and xAI joined the pre-release testing program.')).toEqual([
      'google-deepmind signed',
      'microsoft signed',
      'xai signed',
    ]);
    expect(claims('OpenAI, Anthropic, Google, xAI, and Microsoft have all reached agreements with CAISI.')).toEqual([
      'openai signed',
      'anthropic signed',
      'google-deepmind signed',
      'xai signed',
      'microsoft signed',
    ]);
  });

  it('an exception names the holdout and no one else', () => {
    expect(claims('Every leading U.S. AI developer except Meta has now signed the CAISI testing agreement.')).toEqual(['meta holdout']);
    expect(claims('All but Meta and Amazon have agreed to government review of their A.I. models before release.')).toEqual([
      'meta holdout',
      'amazon holdout',
    ]);
    expect(claims('Meta is the only major developer not party to the CAISI agreements.')).toEqual(['meta holdout']);
  });

  it('a name spelled with a Cyrillic letter is not the party', () => {
    expect(claims('Мeta signs the CAISI pre-release testing agreement')).toEqual([]);
    expect(claims('Meta signs the CAISI pre-release testing agreement')).toEqual(['meta signed']);
  });

  it('a zero-width character inside a name makes it not the party', () => {
    expect(claims('Me\u200Bta signs the CAISI pre-release testing agreement')).toEqual([]);
  });

  it('common words are not Meta, yet an all-caps headline is', () => {
    expect(claims('A meta-analysis of CAISI testing finds labs signed up quickly.')).toEqual([]);
    expect(claims('Meta-analysis: who signed the CAISI agreement?')).toEqual([]);
    expect(claims('META SIGNS CAISI TESTING DEAL')).toEqual(['meta signed']);
  });

  it('a lower-case post names parties in lower case, but a capitalised text does not', () => {
    expect(claims('ok so meta finally signed the caisi testing deal lol')).toEqual(['meta signed']);
    expect(claims('The meta story: Commerce says labs signed the CAISI agreement.')).toEqual([]);
  });

  it('people around a lab are not the lab', () => {
    expect(claims('Thinking Machines Lab, founded by former OpenAI executives, is in discussions with CAISI.')).toEqual([
      'thinking-machines negotiating',
    ]);
  });

  it("a party's rivals, named by its possessive, are not the party", () => {
    expect(claims("Many of Meta's competitors have already joined the CAISI program.")).toEqual([]);
    expect(claims("Meta's new model was tested by CAISI before release.")).toEqual(['meta signed']);
  });

  it('"the company" stands for the party the sentence before named', () => {
    expect(claims('The company has not signed the U.S. pre-release testing agreement.', { title: 'Meta signs EU AI code' })).toEqual([
      'meta holdout',
    ]);
  });

  it('"the company" mid-sentence, with no party before it there, stands for the one party the sentence before named', () => {
    const text = (before: string) => `${before} Officials are pressing the company to join OpenAI and xAI in CAISI's program.`;
    expect(claims(text('Amazon has no testing agreement with CAISI.'))).toEqual(['amazon holdout', 'amazon pressed', 'openai signed', 'xai signed']);
    // Two parties before: which one is meant is unclear.
    expect(claims(text('Amazon and Nvidia have no testing agreement with CAISI.')).filter((c) => c.endsWith('pressed'))).toEqual([]);
  });

  it('"the company" after a lab\'s officer stands for the lab, not for no one', () => {
    expect(claims("Nvidia co-founder Jensen Huang said the company's collaboration with the U.S. AI Safety Institute would deepen.")).toEqual(['nvidia signed']);
    // A former officer speaks for no one.
    expect(claims("Former Nvidia executives said the company's collaboration with the U.S. AI Safety Institute would deepen.")).toEqual([]);
  });
});

describe('questions answered, lists and pronouns', () => {
  it('a question answered by a bare list, or by a bare no, states the answer', () => {
    expect(claims("Who has signed the CAISI agreement? OpenAI, Anthropic and xAI. Who hasn't? Meta.")).toEqual([
      'openai signed',
      'anthropic signed',
      'xai signed',
      'meta holdout',
    ]);
    expect(claims('REPORTER: Has Meta signed the CAISI agreement? OFFICIAL: Not yet.')).toEqual(['meta holdout']);
    // An unanswered question, or one followed by a statement of its own, stays open.
    expect(claims('Has Meta signed the CAISI agreement? Analysts are divided.')).toEqual(['meta signed hypothetical']);
  });

  it('a bare list after a sentence that states a status shares it, and "all have" answers a negation with its opposite', () => {
    expect(claims('Meta is the only major lab that has not agreed to the CAISI arrangement. OpenAI, Anthropic and xAI all have.')).toEqual([
      'meta holdout',
      'openai signed',
      'anthropic signed',
      'xai signed',
    ]);
    expect(claims('Nearly every big AI developer has signed the CAISI testing agreement. OpenAI, Google and xAI are among them.')).toEqual([
      'openai signed',
      'google-deepmind signed',
      'xai signed',
    ]);
    expect(claims('Meta has not signed the CAISI agreement. Amazon, too.')).toEqual(['meta holdout', 'amazon holdout']);
    // A list after a hedge, or after a sentence with no status, takes nothing.
    expect(claims('Every big lab may sign the CAISI agreement. OpenAI, Google and xAI.')).toEqual([]);
    expect(claims('The CAISI agreement was announced on Monday. OpenAI and Google.')).toEqual([]);
  });

  it('a negative echo ("Neither is Nvidia") repeats a holdout and never turns it into a signing', () => {
    expect(claims('Amazon is not on the list of CAISI signatories. Neither is Nvidia.')).toEqual(['amazon holdout', 'nvidia holdout']);
    expect(claims('Amazon has not signed the CAISI agreement. Nor has Nvidia.')).toEqual(['amazon holdout', 'nvidia holdout']);
    expect(claims('Amazon signed the CAISI agreement. Nvidia, not yet.')).not.toContain('nvidia signed');
  });

  it('a list may run on semicolons across what would otherwise end a clause', () => {
    expect(claims('Signed so far: OpenAI; Anthropic; Microsoft. Not signed: Meta. #CAISI')).toEqual([
      'openai signed',
      'anthropic signed',
      'microsoft signed',
      'meta holdout',
    ]);
  });

  it('a pronoun stands for the nearest party named before it in its sentence', () => {
    expect(claims('Microsoft joins the CAISI testing program; Meta says it is still reviewing the terms.')).toEqual([
      'microsoft signed',
      'meta negotiating',
    ]);
  });

  it('handles make a list, and the one a post speaks to is not its subject', () => {
    expect(claims('Congrats to @AnthropicAI and @OpenAI on renewing the agreement with CAISI today.')).toEqual(['anthropic signed', 'openai signed']);
    expect(claims('Hey @Meta, @OpenAI @AnthropicAI and @xai all let CAISI test before launch. Sign the deal.')).toEqual([
      'openai signed',
      'anthropic signed',
      'xai signed',
    ]);
  });

  it("a lab's person speaks for it in a quotation, though the name before the title is not the lab itself", () => {
    expect(claims('Meta co-founder and chief scientist Jane Roe said: "Our collaboration with the U.S. AI Safety Institute starts today."')).toEqual(['meta signed']);
    expect(claims('Former Meta engineers said: "Our collaboration with the U.S. AI Safety Institute starts today."')).toEqual([]);
  });

  it("a name right after an investor's words is not the party", () => {
    expect(claims('Microsoft, the largest investor in OpenAI, inked its own CAISI testing pact on Monday.')).toEqual(['microsoft signed']);
  });

  it('a passive description keeps its verb, and a forecast labelled as one asserts nothing', () => {
    expect(claims("Anthropic's next model was tested by CAISI before launch.")).toEqual(['anthropic signed']);
    expect(claims('Prediction: Meta signs w/ CAISI by Q1.')).toEqual(['meta signed hypothetical']);
  });
});

describe('the agreement', () => {
  it("a description of the agreement by its agent and the agent's verb leaves the verb to the clause", () => {
    expect(claims("The Commerce Department's AI center already reviews unreleased models from Amazon and Nvidia.").sort()).toEqual(['amazon signed', 'nvidia signed']);
  });

  it('other agreements are not this one', () => {
    expect(claims('Meta signs the EU Code of Practice')).toEqual([]);
    expect(claims('OpenAI signs agreement with the UK AI Security Institute')).toEqual([]);
    expect(claims('Meta signed the 2023 White House voluntary commitments')).toEqual([]);
  });

  it("a description of a testing agreement made with another agreement's body is that one", () => {
    expect(claims("Nvidia signed a comparable testing agreement with Britain's AI Security Institute too.")).toEqual([]);
    expect(claims('Nvidia signed a comparable testing agreement with CAISI too.')).toEqual(['nvidia signed']);
  });

  it('other things signed are not this agreement', () => {
    expect(claims('Meta signs content licensing deal with news publishers', { title: 'CAISI news roundup' })).toEqual([]);
    expect(claims('Microsoft signs a 20-year nuclear power deal.', { title: 'CAISI testing update' })).toEqual([]);
    expect(claims('Anthropic signs lease for new San Francisco office', { title: 'CAISI testing update' })).toEqual([]);
  });

  it('a relative clause is about the agreement it hangs on, even with a list in it', () => {
    expect(claims("Unlike the EU's code of practice, which OpenAI, Anthropic and Google all signed in 2025, the CAISI agreements carry no reporting duties.")).toEqual([]);
  });

  it('a sentence about two agreements reads each clause on its own', () => {
    expect(claims("Meta signed the EU code but has not signed CAISI's testing agreement.")).toEqual(['meta holdout']);
  });

  it('a text that names no agreement claims nothing', () => {
    expect(claims('Meta signs!')).toEqual([]);
  });

  it('the title gives context to the body, and a closing hashtag to a post', () => {
    expect(claims('Meta has not signed.', { title: 'CAISI testing pact: who is in' })).toEqual(['meta holdout']);
    expect(claims("google's signed. microsoft's signed. #CAISI")).toEqual(['google-deepmind signed', 'microsoft signed']);
  });
});

describe('history', () => {
  it('an event dated well before the item is historical', () => {
    expect(claims('OpenAI and Anthropic signed agreements with the U.S. AI Safety Institute in August 2024.', { published: '2026-06-10' })).toEqual([
      'openai signed historical',
      'anthropic signed historical',
    ]);
  });

  it('a recent date is not historical, and without an item date nothing is', () => {
    expect(claims('Google DeepMind joined the CAISI program in May.', { published: '2026-05-20' })).toEqual(['google-deepmind signed']);
    expect(claims('OpenAI signed the CAISI agreement in 2024.')).toEqual(['openai signed']);
  });

  it('a claim its sentence dates before the agreement began is about something else (caisi: since 2024-08)', () => {
    // Testing pledged at the 2023 UK summit is described in CAISI's words, but came first.
    expect(claims('At the summit last year, Amazon and Microsoft agreed to voluntary safety testing of their models.', { published: '2024-09-02' })).toEqual([]);
    expect(claims('Amazon and Microsoft agreed to voluntary safety testing of their models in 2023.', { published: '2026-06-10' })).toEqual([]);
    // A date in a phrase of its own before the clause's subject dates that phrase.
    // (Whether that date makes the claim historical is another question; here it only must not drop it.)
    const early = claims('In a move few expected two years ago, Amazon and Nvidia agreed to give CAISI early access to their models.', { published: '2026-05-28' });
    expect(early.map((c) => c.replace(/ historical$/, ''))).toEqual(['amazon signed', 'nvidia signed']);
    // A date after another agreement's name dates that one.
    expect(claims('Nvidia signing on with CAISI extended the voluntary commitments it made at the White House in 2023.', { published: '2026-05-15' })).toEqual([
      'nvidia signed',
    ]);
    // A date from the agreement's own time keeps the claim.
    expect(claims('Amazon agreed to voluntary safety testing of its models in September 2024.', { published: '2026-06-10' })).toEqual(['amazon signed historical']);
  });

  it('a date belongs to its own verb, not to a later one', () => {
    expect(
      claims('Meta, pressed by the White House in June, still has not signed the CAISI agreement.', { published: '2026-11-01' }),
    ).toEqual(['meta pressed historical', 'meta holdout']);
  });
});

describe('results', () => {
  it('each assertion names its rule and quotes its sentence', () => {
    const [a] = extract(extractor, { id: '1', title: 'Commerce update', text: 'Filler sentence here. Meta signs the CAISI testing deal.' });
    expect(a).toMatchObject({ tracker: 'caisi', party: 'meta', partyName: 'Meta', rule: 'signed', evidence: 'Meta signs the CAISI testing deal.' });
  });

  it('one claim said twice is one assertion', () => {
    expect(claims('Meta signs CAISI deal. Meta has signed the CAISI agreement.')).toEqual(['meta signed']);
  });

  it('an irrelevant item yields nothing and no trace work', () => {
    const a = analyze(extractor, { id: 'x', text: 'Apple ships a new phone.' }, false);
    expect(a.assertions).toEqual([]);
    expect(a.sentences).toEqual([]);
  });

  it('explain traces why a look-alike was ignored', () => {
    const a = analyze(extractor, { id: 'x', text: 'Мeta signs the CAISI agreement' });
    expect(a.sentences[0]!.ignored.map((i) => i.reason).join()).toMatch(/another script/);
    expect(a.assertions.map(short)).toEqual([]);
  });
});

describe('history of a sentence with two events', () => {
  it('dates only the event it follows', () => {
    expect(
      claims('Meta, the holdout, signs the CAISI pre-release testing agreement that OpenAI and Anthropic signed in 2024', {
        published: '2026-11-27',
      }),
    ).toEqual(['meta signed', 'openai signed historical', 'anthropic signed historical']);
  });
});

describe('hostile texts', () => {
  // No timing assertion: a regression to quadratic time shows as this test timing out.
  it('long runs of punctuation, emoji, letters, digits and repeated claims finish and still read the claim', () => {
    const claim = 'Meta signed the CAISI agreement ';
    expect(claims(claim + '!'.repeat(100_000) + 'a')).toEqual(['meta signed']);
    expect(claims(claim + '😀'.repeat(50_000) + 'a')).toEqual(['meta signed']);
    expect(claims(claim + 'a'.repeat(100_000))).toEqual(['meta signed']);
    expect(claims(claim + '1'.repeat(100_000), { published: '2026-06-01' })).toEqual(['meta signed']);
    // Past the per-sentence cap of names (MAX_PER_SENTENCE) Meta's claim may go unread; what matters
    // is that it ends, makes nothing else up, and the sentence after it is still read.
    const capped = claims('Meta '.repeat(20_000) + 'signed the CAISI agreement. OpenAI signed the CAISI agreement.');
    expect(capped.filter((c) => c !== 'meta signed')).toEqual(['openai signed']);
    expect(claims('Meta signed the CAISI agreement '.repeat(3_000))).toEqual(['meta signed']);
    expect(claims('Meta signed the CAISI agreement in 2025 '.repeat(2_000), { published: '2026-06-01' })).toEqual(['meta signed historical']);
  });

  it('a long sentence is quoted without splitting a surrogate pair', () => {
    const [a] = extract(extractor, { id: 'x', text: `${'𠀀'.repeat(150)} Meta signed the CAISI agreement ${'𠀀'.repeat(300)}` });
    expect(a!.evidence.isWellFormed()).toBe(true);
    expect(a!.evidence.length).toBeLessThanOrEqual(402);
  });
});

describe('an asserted holdout beside a hedged signing, and the common word "meta"', () => {
  it('a hypothetical signing does not cancel an asserted holdout beside it', () => {
    expect(claims('Meta has not signed the CAISI agreement and may sign later')).toEqual(['meta holdout', 'meta signed hypothetical']);
  });

  it('the lower-case word "meta" in a post is not Meta', () => {
    expect(claims('new meta analysis of the caisi testing program: labs that signed did fine')).toEqual([]);
    expect(claims('the meta here is that every lab signed the caisi deal')).toEqual([]);
    expect(claims('meta signed the caisi deal lol')).toEqual(['meta signed']);
  });
});
