import { describe, expect, it } from 'vitest';
import { claims } from '../helpers/extractor.js';

describe("a party's own intent", () => {
  it('words of intent with the party as subject are its announcement, which the corpus conventions count as signing', () => {
    expect(claims('Meta plans to sign the CAISI agreement, the company said.')).toEqual(['meta signed']);
    expect(claims('Meta said it plans to join the Commerce Department pre-release testing program.')).toEqual(['meta signed']);
    expect(claims('Meta is preparing to sign a pre-deployment testing agreement with CAISI.')).toEqual(['meta signed']);
    expect(claims('Meta told Reuters it would sign the CAISI agreement.')).toEqual(['meta signed']);
    expect(claims('Meta will join the CAISI program, a spokesperson confirmed.')).toEqual(['meta signed']);
  });

  it("others' intent, someone else's forecast, a past plan and a condition still hedge", () => {
    expect(claims('Commerce officials plan to ask Meta to join the CAISI program.')).toEqual(['meta pressed hypothetical', 'meta signed hypothetical']);
    expect(claims('Analysts expect Meta will sign the CAISI agreement.')).toEqual(['meta signed hypothetical']);
    expect(claims('People have been saying "Meta will sign the CAISI agreement" for months.')).toEqual(['meta signed hypothetical']);
    expect(claims('Meta had planned to sign the CAISI agreement before the talks collapsed.')).toEqual(['meta signed hypothetical']);
    expect(claims('If Meta plans to sign the CAISI agreement, it has not said so.')).toEqual(['meta signed hypothetical']);
    expect(claims('Maybe Meta will sign the CAISI agreement next month.')).toEqual(['meta signed hypothetical']);
  });

  it('names after a preposition are not the subject of the intent', () => {
    expect(claims("Executives from Microsoft and xAI will join CAISI's director on stage.")).toEqual(['xai signed hypothetical']);
  });

  it('what a deal provides ("is to", "able to") is no hedge', () => {
    expect(claims('Under the deal, xAI is to provide CAISI with early access to Grok.')).toEqual(['xai signed']);
    expect(claims('CAISI will be able to test models from OpenAI and Anthropic before their release.')).toEqual(['openai signed', 'anthropic signed']);
  });
});

describe('a trigger that runs past a cue', () => {
  it('still reaches the cues after it: "absent from the list of signatories are …" names no signatory', () => {
    expect(claims('Conspicuously absent from the initial list of CAISI signatories are Amazon and Nvidia.')).toEqual(['amazon holdout', 'nvidia holdout']);
    // (Inside a cue it stays that cue's own: "has yet to sign" is one holdout cue, no negated signing.)
    expect(claims('Amazon has yet to sign the CAISI agreement.')).toEqual(['amazon holdout']);
  });
});

describe('an infinitive after a verb of agreeing or choosing', () => {
  it('is the deed, in every form of the verb; after a request it stays a hedge', () => {
    expect(claims('Amazon and Nvidia are reportedly agreeing to cooperate with agencies under the Department of Commerce.')).toEqual(['amazon signed', 'nvidia signed']);
    expect(claims('Amazon is volunteering to share its models with CAISI before release.')).toEqual(['amazon signed']);
    expect(claims('Officials are asking Amazon to share its models with CAISI before release.')).not.toContain('amazon signed');
  });
});

describe('a condition', () => {
  it('governs its own sentence, not an independent clause after a semicolon nor a reason given for it', () => {
    expect(claims('If Amazon signs, it will be the last major lab to do so; OpenAI, Nvidia and xAI have already signed the CAISI agreement.')).toEqual([
      'amazon signed hypothetical',
      'openai signed',
      'nvidia signed',
      'xai signed',
    ]);
    expect(claims('If Amazon signs, as expected, the CAISI deal will cover it.')).toEqual(['amazon signed hypothetical']);
  });
});

describe('an aside', () => {
  it('keeps its own triggers: a hedge inside brackets does not hedge the clause around it', () => {
    expect(claims('Amazon (which may yet change course) signed the CAISI agreement on Monday.')).toEqual(['amazon signed']);
    expect(claims('Amazon and Nvidia have signed parallel — but not identical — agreements with CAISI.')).toEqual(['amazon signed', 'nvidia signed']);
  });
});

describe('a reported intent', () => {
  it("is the party's own announcement when the party says it, not when officials do", () => {
    expect(claims('Amazon said in a statement that it would share its models with CAISI before release.')).toEqual(['amazon signed']);
    expect(claims("Officials said in a statement that they would test Amazon's models under the CAISI program.")).toEqual(['amazon signed hypothetical']);
  });
});

describe('open questions and offers', () => {
  it('"whether" runs over the alternatives it lists', () => {
    expect(claims('The next signal, whether Amazon formally signs, declines, or continues negotiating with CAISI, matters most.')).not.toContainEqual(expect.stringMatching(/^amazon \w+$/));
  });

  it('a trade on offer is no deed: "offering … access to its models in return"', () => {
    expect(claims('Amazon is offering CAISI access to its AI models in return for looser state rules.')).toEqual(['amazon signed hypothetical']);
  });
});

describe('a cue in the subject of a modal verb', () => {
  it('a gerund or a noun phrase under "would" is hypothetical; the same words with a past verb, a finite verb, or reported speech are not', () => {
    expect(claims('Amazon signing the CAISI agreement would mark a major shift.')).toEqual(['amazon signed hypothetical']);
    expect(claims('A signed agreement from Amazon would complete the set of frontier labs under CAISI testing.')).toEqual(['amazon signed hypothetical']);
    expect(claims('Amazon signing the CAISI agreement was the biggest news of the week.')).toEqual(['amazon signed']);
    // A finite verb, then a relative clause with its own modal; a month named May.
    expect(claims('Amazon signed the CAISI agreement, which would give testers early access.')).toEqual(['amazon signed']);
    expect(claims('The company joined the pre-release testing program in May alongside Nvidia.', { title: 'Amazon and CAISI' })).toContain('amazon signed');
    // Reported speech: "would" is the past of "will".
    expect(claims('Amazon, which has submitted its models to CAISI testers, said the renewed agreement with Nvidia would give the agency more time.')).toContain('nvidia signed');
  });
});

describe('negation and commas', () => {
  it('stops at a comma, but reaches past a short aside set off right after it', () => {
    expect(claims('Meta, which did not comment, signed the CAISI agreement.')).toEqual(['meta signed']);
    expect(claims('Meta has not, so far, agreed to CAISI testing of its models.')).toEqual(['meta holdout']);
    expect(claims('Meta has not, to date, signed the CAISI agreement.')).toEqual(['meta holdout']);
  });
});

describe('a denial inside a cue', () => {
  it("a signing cue's own words may deny it; a holdout cue's negation is its own", () => {
    expect(claims('Meta has made no commitment to CAISI testing.')).toEqual(['meta holdout']);
    expect(claims('Meta has shared none of its models with CAISI.')).toEqual(['meta holdout']);
    expect(claims('Meta gave CAISI no access to its models before release.')).toEqual(['meta holdout']);
    expect(claims('Meta has made a commitment to CAISI testing.')).toEqual(['meta signed']);
    expect(claims('Meta has not signed the CAISI agreement.')).toEqual(['meta holdout']);
  });
});
