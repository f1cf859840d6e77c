import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/repo.js';

// A transaction body that awaits commits at its first await and runs the rest outside the
// transaction; one that starts a promise lets that work land after the commit. Store.transaction
// refuses a body that returns a promise when it runs, but only on the paths a test exercises;
// this reads every body in src/ with the type checker, and every function of ours it calls.
// The one exception is Store.transactionAsync, used by replay under the writer lock.

interface Scan {
  /** `file:line` of each transaction opened (each `.transaction(` call). */
  transactions: string[];
  /** `file:line: problem (in the transaction at file:line)`. */
  findings: string[];
  /** `file:line in function` for each transactionAsync call. */
  asyncTransactions: string[];
}

function scan(program: ts.Program, inScope: (file: string) => boolean): Scan {
  const checker = program.getTypeChecker();
  const transactions: string[] = [];
  const findings: string[] = [];
  const asyncTransactions: string[] = [];
  const at = (node: ts.Node) => {
    const file = node.getSourceFile();
    return `${relative(ROOT, file.fileName).split(sep).join('/')}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };
  const thenable = (type: ts.Type): boolean => {
    if (type.isUnion()) return type.types.some(thenable);
    const then = type.getProperty('then');
    return then !== undefined && checker.getTypeOfSymbol(then).getCallSignatures().length > 0;
  };
  const isAsync = (node: ts.Node) => ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  const functionName = (node: ts.Node): string => {
    for (let n: ts.Node | undefined = node; n; n = n.parent) {
      if ((ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n)) && n.name) return n.name.getText();
    }
    return '(top level)';
  };

  /** Checks code that runs inside the transaction opened at `opened`, and the functions of ours it calls. */
  const check = (code: ts.Node, opened: string, seen: Set<ts.Node>) => {
    if (seen.has(code)) return;
    seen.add(code);
    const visit = (node: ts.Node): void => {
      if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) findings.push(`${at(node)}: await (in the transaction at ${opened})`);
      if (ts.isFunctionLike(node) && isAsync(node)) findings.push(`${at(node)}: async function (in the transaction at ${opened})`);
      if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
        if (thenable(checker.getTypeAtLocation(node))) findings.push(`${at(node)}: makes a promise (in the transaction at ${opened})`);
        const callee = checker.getResolvedSignature(node)?.declaration;
        if (callee && !ts.isJSDocSignature(callee) && 'body' in callee && callee.body && inScope(callee.getSourceFile().fileName)) check(callee, opened, seen);
      }
      ts.forEachChild(node, visit);
    };
    visit(code);
  };

  for (const file of program.getSourceFiles()) {
    if (!inScope(file.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        if (method === 'transactionAsync') asyncTransactions.push(`${at(node)} in ${functionName(node)}`);
        const body = node.arguments[0];
        if (method === 'transaction' && body) {
          const opened = at(node);
          transactions.push(opened);
          if (checker.getTypeAtLocation(body).getCallSignatures().some((s) => thenable(s.getReturnType()))) findings.push(`${opened}: the body returns a promise (in the transaction at ${opened})`);
          // A body passed by name: check the function it names.
          const named = ts.isIdentifier(body) || ts.isPropertyAccessExpression(body) ? checker.getSymbolAtLocation(body) : undefined;
          const target = named && named.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(named) : named;
          const declaration = target?.valueDeclaration;
          check(declaration && inScope(declaration.getSourceFile().fileName) ? declaration : body, opened, new Set());
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return { transactions, findings: [...new Set(findings)], asyncTransactions };
}

function sourceProgram(): ts.Program {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
  return ts.createProgram(config.fileNames.filter(underSrc), { ...config.options, noEmit: true });
}

const underSrc = (file: string) => relative(join(ROOT, 'src'), file).split(sep)[0] !== '..';

/** A program of one file held in memory, beside the real lib files. */
function programOf(name: string, text: string): ts.Program {
  const options: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, lib: ['lib.es2023.d.ts'], strict: true, noEmit: true, types: [] };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) => (file === name ? ts.createSourceFile(file, text, language, true) : read(file, language, ...rest));
  const exists = host.fileExists.bind(host);
  host.fileExists = (file) => file === name || exists(file);
  return ts.createProgram([name], options, host);
}

describe('no await inside an open SQLite transaction', () => {
  it('the scan finds an await, an async body, a promise started in a called function, and an async body passed by name', () => {
    const name = join(ROOT, 'src', 'in-memory-example.ts');
    const text = [
      'declare const store: { transaction<T>(fn: () => T): T; transactionAsync<T>(fn: () => Promise<T>): Promise<T> };',
      'async function later(): Promise<void> {}',
      'function startsWork(): void { void later(); }',
      'async function asyncBody(): Promise<void> { await later(); }',
      'export async function example(): Promise<void> {',
      '  store.transaction(async () => { await later(); });',
      '  store.transaction(() => { startsWork(); });',
      '  store.transaction(asyncBody);',
      '  store.transaction(() => [1, 2].map((n) => n + 1));',
      '  await store.transactionAsync(async () => { await later(); });',
      '}',
    ].join('\n');
    const { transactions, findings, asyncTransactions } = scan(programOf(name, text), (file) => file === name);
    const where = (line: number) => `src/in-memory-example.ts:${line}`;
    expect(transactions).toEqual([6, 7, 8, 9].map(where));
    const faulted = new Set(findings.map((f) => /\(in the transaction at (\S+)\)$/.exec(f)![1]));
    expect([...faulted].sort()).toEqual([6, 7, 8].map(where));
    expect(findings).toEqual(
      expect.arrayContaining([
        `${where(6)}: await (in the transaction at ${where(6)})`,
        `${where(6)}: async function (in the transaction at ${where(6)})`,
        `${where(3)}: makes a promise (in the transaction at ${where(7)})`,
        `${where(8)}: the body returns a promise (in the transaction at ${where(8)})`,
        `${where(4)}: await (in the transaction at ${where(8)})`,
      ]),
    );
    expect(asyncTransactions).toEqual([`${where(10)} in example`]);
  });

  it('holds for every transaction in src/, with replay the only caller of transactionAsync', () => {
    const { transactions, findings, asyncTransactions } = scan(sourceProgram(), underSrc);
    const files = new Set(transactions.map((t) => t.split(':')[0]));
    expect([...files].sort()).toEqual(expect.arrayContaining(['src/app.ts', 'src/commands/alerts-review.ts', 'src/pipeline/manual.ts', 'src/pipeline/poll.ts', 'src/pipeline/process.ts', 'src/store/db.ts', 'src/store/store.ts']));
    expect(findings).toEqual([]);
    expect(asyncTransactions).toEqual([expect.stringMatching(/^src\/commands\/replay\.ts:\d+ in replay$/)]);
  });
});
