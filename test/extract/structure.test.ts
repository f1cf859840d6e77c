import { describe, expect, it } from 'vitest';
import { findAsides, wordsOutsideAsides } from '../../src/extract/structure.js';
import { analyze } from '../../src/extract/extract.js';
import { claims, extractor } from '../helpers/extractor.js';

const LIST_GAP = extractor.compiled.language.listGapRe;
const kinds = (text: string, names: { start: number; end: number }[] = []) => findAsides(text, names, LIST_GAP).map((a) => `${a.kind}: ${a.text}`);

describe('asides', () => {
  it('finds parentheses, dash pairs, relative clauses and appositives', () => {
    expect(kinds('Officials asked Meta (long a critic of the plan) to sign.')).toEqual(['parenthesis: (long a critic of the plan)']);
    expect(kinds('The pact — a year in the making — is done.')).toEqual(['dashes: — a year in the making —']);
    expect(kinds('Meta, which has not signed, said nothing.')).toEqual(['relative: , which has not signed']);
    expect(kinds('Three labs, two of them startups, have agreed.')).toEqual(['appositive: , two of them startups']);
  });

  it('a comma after an opening word ends no noun phrase: no appositive hangs on it', () => {
    expect(kinds('Second, the agency said it would run pre-release, classified evaluations of models.')).toEqual([]);
    expect(kinds('Commerce, the agency that runs CAISI, announced agreements.')).toEqual(['appositive: , the agency that runs CAISI']);
  });

  it('a phrase of time, cause or source between commas is an aside where a verb follows it', () => {
    expect(kinds('Amazon, after months of talks with the agency, finally signed.')).toEqual(['adverbial: , after months of talks with the agency']);
    expect(claims('Amazon, under pressure from the White House, has signed the CAISI agreement.')).toEqual(['amazon signed']);
    // No verb after its comma: the comma ends a clause, and no aside opens.
    expect(kinds('Amazon signed in May, after months of talks, the agency said.')).toEqual([]);
    // Parties inside it are not the subject of the clause around it.
    expect(claims('Amazon, after Nvidia refused, has signed the CAISI agreement.')).toEqual(expect.arrayContaining(['amazon signed', 'nvidia declined']));
  });

  it('a comparison between commas is an aside: the name before it is the subject', () => {
    expect(claims('Amazon, like Microsoft, will let CAISI test its models before launch.')).toContain('amazon signed');
  });

  it('a comparison that opens the sentence is an aside that ends after its list', () => {
    const text = 'Unlike Amazon, Nvidia and xAI, Meta has not signed.';
    const names = ['Amazon', 'Nvidia', 'xAI', 'Meta'].map((n) => ({ start: text.indexOf(n), end: text.indexOf(n) + n.length }));
    expect(kinds(text, names)).toEqual(['comparison: Unlike Amazon, Nvidia and xAI']);
    const one = 'Unlike Amazon, Meta has not signed.';
    expect(kinds(one, ['Amazon', 'Meta'].map((n) => ({ start: one.indexOf(n), end: one.indexOf(n) + n.length })))).toEqual(['comparison: Unlike Amazon']);
  });

  it('a noun phrase after a dash that ends the sentence is an appositive of its subject', () => {
    expect(kinds('Amazon Defies the White House — the Lone Holdout in the Industry')).toEqual(['appositive: — the Lone Holdout in the Industry']);
    expect(claims('Amazon Defies the White House on CAISI Reviews — the Lone Holdout in the Industry')).toContain('amazon holdout');
  });

  it('a comma right after a name belongs to a list, not to an aside', () => {
    const text = 'a process that OpenAI, Anthropic and xAI have signed';
    const openai = { start: text.indexOf('OpenAI'), end: text.indexOf('OpenAI') + 6 };
    expect(kinds(text, [openai])).toEqual([]);
  });

  it('brackets or dashes that open on a name are the names of the noun before them', () => {
    const text = 'The three companies — Google, Microsoft and xAI — signed.';
    const google = { start: text.indexOf('Google'), end: text.indexOf('Google') + 6 };
    expect(kinds(text, [google])).toEqual([]);
  });

  it('counts words outside asides only', () => {
    const text = 'Meta, which competes with OpenAI, has not signed';
    const asides = findAsides(text, [], LIST_GAP);
    expect(wordsOutsideAsides(text, asides, 4, text.indexOf('has'))).toBe(0);
    expect(wordsOutsideAsides(text, [], 4, text.indexOf('has'))).toBe(4);
  });
});

describe('the cue rules read past asides', () => {
  it('a long appositive between the parties and their verb', () => {
    expect(
      claims('Google, Microsoft and xAI, three companies whose models power products used by hundreds of millions of people, have signed the CAISI agreement.'),
    ).toEqual(['google-deepmind signed', 'microsoft signed', 'xai signed']);
  });

  it('a party inside an aside is not the subject of the clause around it', () => {
    expect(claims('Meta, which competes with OpenAI on open models, has not signed the CAISI agreement.')).toEqual(['meta holdout']);
  });

  it('a relative clause speaks of the name before it', () => {
    expect(claims('Meta, which has not signed the CAISI testing agreement, released a new model on Tuesday.')).toEqual(['meta holdout']);
  });

  it("a cue's object ends where a subordinate clause begins", () => {
    expect(claims('Commerce is ramping up pressure on the last holdout weeks after it thanked Amazon for joining the CAISI program.')).not.toContain(
      'amazon pressed',
    );
  });

  it('a name a cue\'s object is compared against is not its object', () => {
    expect(claims('CAISI evaluated two Chinese models against US reference models (Amazon\'s Nova and Nvidia\'s Nemotron).')).toEqual([]);
    expect(claims('CAISI evaluated Amazon\'s Nova model before release.')).toEqual(['amazon signed']);
    // ("Compared" with its own object first: the names after it are the yardstick.)
    expect(claims("CAISI's evaluation compared DeepSeek to top US models, including Amazon's Nova and Nvidia's Nemotron.")).toEqual([]);
  });

  it('a noun phrase that a list of names right after it names does not keep the list from its cue', () => {
    expect(claims('CAISI signed agreements with two of the best-funded and most closely watched hardware companies, Amazon and Nvidia.')).toEqual(['amazon signed', 'nvidia signed']);
  });

  it('a subject carries over past a sentence adverb between commas', () => {
    expect(claims('After Microsoft joined the CAISI program, Amazon, meanwhile, quietly renewed its own CAISI agreement.')).toContain('amazon signed');
  });

  it('two institutes joined by "and" past a bracket and an appositive are both the cue\'s', () => {
    expect(
      claims('The US AI Safety Institute (US AISI), an arm of the Commerce Department, and the UK AI Safety Institute got early access to Amazon\'s newest model.'),
    ).toEqual(['amazon signed']);
  });

  it('the trace shows the asides', () => {
    const st = analyze(extractor, { id: 't', text: 'Meta, which has not signed the CAISI agreement, declined to comment.' }).sentences[0]!;
    expect(st.asides.map((a) => a.kind)).toEqual(['relative']);
  });
});

describe('voice and mood', () => {
  it('an active verb of pressure presses the party after it, not the one urging', () => {
    expect(claims('OpenAI urged xAI to sign the CAISI agreement.')).toEqual(['xai pressed']);
    expect(claims('OpenAI, calling on Congress to fund the CAISI testing program, published a plan.')).toEqual([]);
  });

  it('the passive and noun forms press the party before them', () => {
    expect(claims('Meta, pressed by the White House in June, has yet to sign the CAISI agreement.')).toContain('meta pressed');
    expect(claims('Meta is now the subject of a direct push to join the CAISI testing program.')).toEqual(['meta pressed']);
  });

  it('a conditional sentence is hypothetical in its main clause too', () => {
    expect(claims('If Nvidia signs the CAISI agreement, Amazon will be the last holdout.')).toEqual([
      'nvidia signed hypothetical',
      'amazon holdout hypothetical',
    ]);
  });

  it('what an agreement does is asserted; a bare prediction of signing is not', () => {
    expect(claims('Under the CAISI agreements, Google and Microsoft will give government testers early access to their models.')).toEqual([
      'google-deepmind signed',
      'microsoft signed',
    ]);
    expect(claims('Pundits say Amazon will sign the CAISI agreement soon.')).toEqual(['amazon signed hypothetical']);
    expect(claims('Amazon said it would share its models with CAISI before release.')).toEqual(['amazon signed']);
  });
});

describe('which agreement', () => {
  it("a country qualifies its whole noun phrase: the UK's new AI Safety Institute is not the U.S. one", () => {
    expect(claims("OpenAI and Meta have agreed to let the UK's new AI Safety Institute evaluate their models.")).toEqual([]);
  });

  it('a described agreement: the U.S. government tests the models before release', () => {
    expect(claims('Amazon has agreed to let federal evaluators test its models before public release.')).toEqual(['amazon signed']);
  });

  it("an item that names no agreement is about this one when it speaks of the tracker's topic", () => {
    expect(claims('Nvidia is the only major lab that has not agreed to this arrangement. Federal reviewers already test the others.')).toEqual([
      'nvidia holdout',
    ]);
    // The topic never overrides a named agreement.
    expect(claims('Nvidia is the only major lab that has not joined the EU code. Federal reviewers already test the others.')).toEqual([]);
    // And without it the item is about nothing this tracker watches.
    expect(claims('Nvidia is the only major lab that has not agreed to this arrangement.')).toEqual([]);
  });

  it('the topic: a holdout, or safety agreements, where the U.S. government is in the story', () => {
    expect(claims('Amazon remains the last holdout, US policymakers complained on Monday.')).toEqual(['amazon holdout']);
    expect(claims('Nvidia and Amazon signed AI safety agreements, Trump said on Monday.')).toEqual(['nvidia signed', 'amazon signed']);
    expect(claims('Amazon remains the last holdout.')).toEqual([]);
    expect(claims('Nvidia and Amazon signed AI safety agreements on Monday.')).toEqual([]);
  });

  it('the topic: agreements renegotiated or in place, a lab missing or left standing, where Washington is in the story', () => {
    expect(claims('Amazon and Nvidia recently renegotiated their agreements to suit the Trump administration.')).toEqual([
      'amazon signed',
      'nvidia signed',
    ]);
    expect(claims('Washington has pulled the labs closer. Amazon is the awkward name missing from the public list.')).toEqual(['amazon holdout']);
    expect(claims('Amazon is the awkward name missing from the public list.')).toEqual([]);
    // Pacts like the ones before, where the Biden administration is in the story; without it, any deal.
    expect(claims('The new agreements expand on similar pacts reached with Amazon and Nvidia during the Biden administration.')).toEqual([
      'amazon signed',
      'nvidia signed',
    ]);
    expect(claims('The new agreements expand on similar pacts reached with Amazon and Nvidia last year.')).toEqual([]);
    // Unreleased models, where Washington is in the story: the labs handing them over are this agreement's.
    expect(claims('Amazon and Nvidia just handed their unreleased frontier models over to the US government.')).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('Amazon and Nvidia had similar deals from 2024, US officials said.')).toEqual(['amazon signed', 'nvidia signed']);
    // Rules for the models' release, where the administration is in the story.
    expect(claims('The administration is wrapping up negotiations with Amazon and Nvidia over voluntary rules governing the release of advanced models.')).toEqual([
      'amazon negotiating',
      'nvidia negotiating',
    ]);
    expect(claims('Amazon and Nvidia are wrapping up negotiations over rules governing the release of advanced models.')).toEqual([]);
  });
});

describe('quotations', () => {
  it('"we" inside a quotation is the party it is attributed to, across sentences', () => {
    expect(claims('Amazon told reporters on Monday, "We are working through the details of the CAISI agreement. We hope to sign it soon."')).toEqual([
      'amazon negotiating',
    ]);
    expect(claims('An Nvidia spokesperson said the company "supports the CAISI program, and we are working through the terms."')).toEqual([
      'nvidia negotiating',
    ]);
  });

  it('"we" in a quotation attributed to no party, or outside the quotation, is nobody', () => {
    expect(claims('"We are working through the details of the CAISI agreement."')).toEqual([]);
    expect(claims('Amazon said "nothing is settled." We are working through the details of the CAISI agreement.')).toEqual([]);
  });
});

describe('an infinitive is not a deed', () => {
  it('asking a party to submit, or its reluctance to, never reads as a signing', () => {
    expect(claims('Officials are asking Meta (long a critic of the plan) to voluntarily submit its models for CAISI review.')).toEqual(['meta pressed']);
    const reluctance = claims("Meta's reluctance to submit its models for CAISI review sets it apart.");
    expect(reluctance).toContain('meta holdout');
    expect(reluctance).not.toContain('meta signed');
  });

  it('the latest lab to let evaluators in has let them in', () => {
    expect(claims('Amazon is the latest company to let CAISI evaluators test its models before release.')).toEqual(['amazon signed']);
  });
});

describe('more of what a careful reader sees', () => {
  it('a clause boundary inside an aside does not cut the clause around it', () => {
    expect(claims('Amazon — a smaller model builder than Google, though hardly a minor one — has signed the CAISI agreement.')).toEqual([
      'amazon signed',
    ]);
  });

  it('"AISI" alone is not said to be the U.S. institute; "US AISI" is', () => {
    expect(claims('Nvidia and Amazon have agreements with AISI to provide early access to their models.')).toEqual([]);
    expect(claims('Nvidia and Amazon have agreements with US AISI to provide early access to their models.')).toEqual(
      expect.arrayContaining(['nvidia signed', 'amazon signed']),
    );
  });

  it("an investor's name in front of a party is not a party, and does not break the list", () => {
    expect(claims('Nvidia-backed xAI and Amazon-backed Anthropic are the latest companies to sign the CAISI agreement.')).toEqual([
      'xai signed',
      'anthropic signed',
    ]);
  });

  it('"none of which has signed" is a holdout; a bet that a party signs is not a signing', () => {
    expect(claims('Notably absent: Nvidia and Amazon, none of which has signed the CAISI agreement.')).toEqual(['nvidia holdout', 'amazon holdout']);
    expect(claims('Traders give even odds that Amazon joins the CAISI program this year.')).not.toContain('amazon signed');
  });

  it('a Title Case headline\'s "To" announces; "continues to give" is a deed', () => {
    expect(claims('Amazon To Let U.S. Government Test Its Models Before Release')).toEqual(['amazon signed']);
    expect(claims('Amazon said it continues to give CAISI pre-deployment access to its models.')).toEqual(['amazon signed']);
  });

  it("a description made of the cue's words yields to another agreement named in the clause", () => {
    expect(claims('The UK AI Security Institute said it had tested Amazon models before launch under its access arrangement.')).toEqual([]);
    expect(claims('Amazon signed the EU code of practice, but still has not signed the US pre-release testing deal.')).toContain('amazon holdout');
  });
});

describe('coordinated verb phrases', () => {
  it('a second verb phrase shares the first one\'s subject, however long the first', () => {
    expect(
      claims('The Nvidia spokesperson said Nvidia shares the goal of advancing secure and trustworthy frontier AI in the United States and is continuing discussions with CAISI.'),
    ).toEqual(['nvidia negotiating']);
  });
});

describe('no hedge hides inside a cue', () => {
  it("a party's own agreement is a signing; its potential agreement is not", () => {
    expect(claims("Amazon's 2024 agreement with CAISI gave the agency early access.")).toEqual(['amazon signed']);
    expect(claims("Amazon's potential agreement with CAISI would cover its Nova models.")).not.toContain('amazon signed');
  });
});

describe('a relative clause with a list in it', () => {
  it('runs on to the comma before the main verb, and no further than a clause of its own', () => {
    expect(
      claims('Amazon, which signed the 2023 White House commitments, the Seoul pledge and, last month, a chip deal with Nvidia, is now the lone lab outside the CAISI program.'),
    ).toEqual(['amazon holdout']);
    const st = analyze(extractor, {
      id: 't',
      text: 'The pact that Nvidia signed in May, which gives CAISI access to models, and which Amazon, despite weeks of pressure, has not joined, is a floor.',
    }).sentences[0]!;
    expect(st.asides.map((a) => a.text)).toContain(', which gives CAISI access to models');
  });
});

describe("a cue's object", () => {
  it('ends at a verb of its own, and stands close to the cue', () => {
    expect(claims('Even a signed agreement with CAISI would not give the government a veto over Amazon releases.')).toEqual([]);
    expect(claims("CAISI's evaluation of DeepSeek compared the Chinese models against U.S. systems including Amazon's Nova.")).toEqual([]);
  });

  it("an agreement's name between the cue and its party puts no distance between them", () => {
    expect(claims('Pre-release testing agreements were signed with the Center for AI Standards and Innovation by Amazon and Nvidia on Tuesday.')).toEqual([
      'amazon signed',
      'nvidia signed',
    ]);
  });

  it('an indefinite agreement with someone else is not the one the item is about', () => {
    expect(claims('Amazon signed a partnership with Anduril on headsets. Pre-release testing with CAISI is a separate matter.')).toEqual([]);
    expect(claims('Amazon signed a similar agreement. Pre-release testing with CAISI now covers its models.')).toEqual(['amazon signed']);
  });
});

describe('phrases that only look like claims: time words, names side by side, denials, signing as a thing', () => {
  it('"last week … urged it to submit" is no signing; "the last lab to let" is', () => {
    expect(claims('Amazon stalled. In an email to the company last week, officials urged it to submit its models for pre-release testing by CAISI.')).not.toContain(
      'amazon signed',
    );
  });

  it('two names side by side are one noun phrase, not two agreements', () => {
    expect(claims('Amazon signs UK AI Security Institute testing agreement')).toEqual([]);
    expect(claims('Amazon signs CAISI and UK AI Security Institute testing agreements')).toContain('amazon signed');
  });

  it('a denial or correction covers the clause it reports', () => {
    expect(claims('Amazon denied a report from a trade site that it had quietly signed the CAISI agreement last week.')).not.toContain('amazon signed');
    expect(claims('An earlier version of this article incorrectly stated that Amazon had signed the CAISI agreement.')).not.toContain('amazon signed');
    expect(claims('Reports that Amazon had signed the CAISI agreement were "premature," a spokesperson said.')).not.toContain('amazon signed');
  });

  it('signing bonuses, signed agreements as things, objections withdrawn and meetings agreed to are no statuses', () => {
    expect(claims('Amazon offered signing bonuses to lure researchers working on CAISI testing.')).toEqual([]);
    expect(claims('Amazon withdrew its objection to a clause in the CAISI agreement.')).toEqual([]);
    expect(claims('Amazon agreed to meet with CAISI officials to discuss the testing agreement.')).not.toContain('amazon signed');
    expect(claims('Amazon has neither signed nor rejected the CAISI agreement.')).not.toContain('amazon declined');
  });
});

describe('pronouns', () => {
  it('"it" and "its" open a reported clause for the party that speaks', () => {
    expect(claims("Amazon said its new agreement with CAISI gives government scientists early access.")).toContain('amazon signed');
    expect(claims('Amazon was the first. In August 2024 it agreed to let CAISI test its models before release.')).toContain('amazon signed');
  });
});

describe('modal scope and owners', () => {
  it('a modal verb scopes over its whole verb phrase, and no further than the next', () => {
    expect(claims('Here is the deal that would make Amazon the sixth lab on board with CAISI.')).not.toContain('amazon signed');
    expect(claims('Amazon said it would continue its own red-teaming and has not signed the CAISI agreement.')).toContain('amazon holdout');
  });

  it("an owner's name before its party keeps the list whole", () => {
    expect(claims("Microsoft, xAI and Alphabet's Google agreed to give the U.S. government early access to their AI models for security testing.")).toEqual([
      'microsoft signed',
      'xai signed',
      'google-deepmind signed',
    ]);
  });

  it("a party's promise to let the government test is its own announced intent", () => {
    expect(claims('Microsoft and Nvidia promised on Tuesday to let federal evaluators test their models before release.')).toEqual([
      'microsoft signed',
      'nvidia signed',
    ]);
  });
});

describe('a modal over coordinated verbs', () => {
  it('"should stop hiding and join" is one modal\'s phrase: no signing', () => {
    expect(claims('Musk said Amazon should "stop hiding" and join the pre-release review agreement his company signed.')).not.toContain('amazon signed');
  });

  it('a noun phrase right before the cue is its own subject: "the agreement his company signed"', () => {
    expect(claims('Amazon has yet to sign the CAISI agreement that its rivals signed in May.')).toEqual(['amazon holdout']);
  });
});

describe('a relative clause that ends the sentence', () => {
  it('is an aside without a closing comma, and "all of which" opens one', () => {
    expect(kinds('Meta would join OpenAI and xAI, which have already signed.')).toEqual(['relative: , which have already signed.']);
    expect(kinds('Meta would join OpenAI and xAI, all of which have given CAISI access, in the program.')).toEqual(['relative: , all of which have given CAISI access']);
  });

  it('states a fact of its own inside a condition: the ones joined are in', () => {
    expect(claims('If Meta signs the CAISI deal, it will join OpenAI, Anthropic and xAI, which have already agreed to the testing.')).toEqual([
      'meta signed hypothetical',
      'openai signed',
      'anthropic signed',
      'xai signed',
    ]);
  });
});

describe('a relative pronoun before a cue', () => {
  it('makes the noun before it the subject, but not after a copula or a verb of saying', () => {
    expect(claims('Officials are urging Meta to sign onto a CAISI framework that lets federal testers inspect models before launch.')).toEqual(['meta pressed']);
    expect(claims('Meta said that it is still negotiating the CAISI agreement.')).toEqual(['meta negotiating']);
  });
});

describe('dashes around a list', () => {
  it('name the noun before them even when a word such as "so far" introduces the list', () => {
    expect(kinds('Companies that sign — so far OpenAI and xAI — agree to share models.', [{ start: 29, end: 35 }, { start: 40, end: 43 }])).toEqual([]);
    expect(claims('Companies that sign the CAISI deal — so far OpenAI and xAI — agree to share unreleased models with its evaluators.')).toEqual(['openai signed', 'xai signed']);
  });

  it('name the noun before them when a preposition introduces the list: "the agreements — with A and B — were signed"', () => {
    expect(claims('The first CAISI agreements — with Amazon and Nvidia — were signed last week.')).toEqual(['amazon signed', 'nvidia signed']);
  });
});

describe('a pronoun opening a clause joined after a comma', () => {
  it('stands for the party named before it in the sentence', () => {
    expect(claims('The vote leaves Amazon in a difficult position, as it is now the only large lab that has not agreed to CAISI testing.')).toEqual(['amazon holdout']);
  });
});

describe('an infinitive between a cue and names', () => {
  it('makes the names its own object, not the cue\'s', () => {
    expect(claims('Officials are pressing the company to join OpenAI and xAI in giving CAISI early access.')).toEqual(['openai signed', 'xai signed']);
  });
});
