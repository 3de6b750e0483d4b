// Derives from the source which subCodes each operation can answer, and writes lib/api/raised-sub-codes.generated.ts.
//
// For every `route(endpoint, implementation)` in functions/*/handler.ts it follows everything the implementation
// reaches (calls, methods, callbacks, module constants) through lib/ and functions/ with the TypeScript checker, and
// collects each `new <DomainError subclass>(subCode)` found on the way: the error class gives the code, the argument
// (a literal, or an expression typed as a union of literals) the subCode. Reaching a raise site is enough, so the
// list may hold a subCode a branch never takes in practice, never miss one the code can raise. The same walk from the
// authentication middleware and the scope check gives what every authenticated operation can answer.
//
// `npm run generate` rewrites the file; test/unit/raised-sub-codes.test.ts fails while it is stale.
import { writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
export const GENERATED_FILE = resolve(ROOT, 'lib/api/raised-sub-codes.generated.ts');
const ERRORS_FILE = resolve(ROOT, 'lib/domain/errors.ts');
const ROUTE_FILE = resolve(ROOT, 'lib/http/route.ts');
/** Entry points shared by every authenticated operation: [file, exported function]. */
const AUTHENTICATION_ROOTS: readonly [string, string][] = [
  ['lib/http/middlewares.ts', 'authentication'],
  ['lib/domain/caller.ts', 'requireScope'],
];

type Raised = Map<string, Set<string>>;

function createProgram(): ts.Program {
  const configPath = resolve(ROOT, 'tsconfig.json');
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const rootNames = parsed.fileNames.filter((f) => /\/(lib|functions)\//.test(f));
  return ts.createProgram({ rootNames, options: { ...parsed.options, noEmit: true } });
}

export function analyse(): { operations: Record<string, Raised>; authentication: Raised } {
  const program = createProgram();
  const checker = program.getTypeChecker();
  const isOwn = (sf: ts.SourceFile) => !sf.isDeclarationFile && !sf.fileName.includes('/node_modules/') && sf.fileName.startsWith(ROOT);

  // The DomainError subclasses and their codes (`readonly code = 'NotFound' as const`).
  const errorCodes = new Map<ts.Symbol, string>();
  const errorsSource = program.getSourceFile(ERRORS_FILE);
  if (!errorsSource) throw new Error(`${ERRORS_FILE} is not part of the program`);
  errorsSource.forEachChild((node) => {
    if (!ts.isClassDeclaration(node) || !node.name) return;
    for (const member of node.members) {
      if (!ts.isPropertyDeclaration(member) || member.name.getText() !== 'code' || !member.initializer) continue;
      const literal = ts.isAsExpression(member.initializer) ? member.initializer.expression : member.initializer;
      if (ts.isStringLiteral(literal)) errorCodes.set(checker.getSymbolAtLocation(node.name)!, literal.text);
    }
  });
  if (errorCodes.size < 7) throw new Error('could not find the DomainError subclasses in lib/domain/errors.ts');

  const resolveSymbol = (node: ts.Node): ts.Symbol | undefined => {
    let symbol = ts.isShorthandPropertyAssignment(node.parent) && node.parent.name === node
      ? checker.getShorthandAssignmentValueSymbol(node.parent)
      : checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  };

  const where = (node: ts.Node) => {
    const sf = node.getSourceFile();
    return `${relative(ROOT, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  const literalsOf = (arg: ts.Expression): string[] => {
    if (ts.isStringLiteralLike(arg)) return [arg.text];
    const type = checker.getTypeAtLocation(arg);
    const parts = type.isUnion() ? type.types : [type];
    if (parts.every((t) => t.isStringLiteral())) return parts.map((t) => (t as ts.StringLiteralType).value);
    throw new Error(`${where(arg)}: the subCode is not a literal (or a union of literals); type it as SubCode<…>`);
  };

  /** Everything reachable from `start`: the raised (code, subCode) pairs. */
  const reach = (start: ts.Node): Raised => {
    const raised: Raised = new Map();
    const seen = new Set<ts.Node>();
    const queue: ts.Node[] = [start];
    const enqueue = (decl: ts.Declaration) => {
      if (!isOwn(decl.getSourceFile())) return;
      let target: ts.Node | undefined;
      if (ts.isFunctionLike(decl) && 'body' in decl) target = (decl as ts.FunctionLikeDeclaration).body;
      else if (ts.isVariableDeclaration(decl) || ts.isPropertyAssignment(decl) || ts.isPropertyDeclaration(decl)) target = decl.initializer;
      else if (ts.isClassDeclaration(decl)) {
        // `new X()`: its constructor and field initializers; methods are reached when they are called.
        for (const member of decl.members) if (ts.isConstructorDeclaration(member) || ts.isPropertyDeclaration(member)) queue.push(member);
      }
      if (target) queue.push(target);
    };
    const walk = (node: ts.Node): void => {
      if (ts.isNewExpression(node)) {
        const symbol = resolveSymbol(node.expression);
        const code = symbol && errorCodes.get(symbol);
        if (code) {
          const arg = node.arguments?.[0];
          if (!arg) throw new Error(`${where(node)}: an error without subCode`);
          const set = raised.get(code) ?? new Set<string>();
          for (const subCode of literalsOf(arg)) set.add(subCode);
          raised.set(code, set);
        }
      }
      if (ts.isIdentifier(node) && !ts.isTypeNode(node.parent)) {
        for (const decl of resolveSymbol(node)?.declarations ?? []) enqueue(decl);
      }
      node.forEachChild(walk);
    };
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (seen.has(node)) continue;
      seen.add(node);
      if (ts.isConstructorDeclaration(node) || ts.isPropertyDeclaration(node)) enqueue(node);
      else walk(node);
    }
    return raised;
  };

  // Every route(endpoint, implementation) of the functions.
  const routeSymbol = (() => {
    const sf = program.getSourceFile(ROUTE_FILE)!;
    const fn = sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === 'route');
    if (!fn?.name) throw new Error('route() not found in lib/http/route.ts');
    return checker.getSymbolAtLocation(fn.name);
  })();
  const operations: Record<string, Raised> = {};
  for (const sf of program.getSourceFiles()) {
    if (!isOwn(sf) || !/\/functions\/[^/]+\/handler\.ts$/.test(sf.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && resolveSymbol(node.expression) === routeSymbol) {
        const [endpointArg, implementation] = node.arguments;
        if (!endpointArg || !implementation) throw new Error(`${where(node)}: route() needs an endpoint and an implementation`);
        const operationId = operationIdOf(resolveSymbol(endpointArg), where(endpointArg));
        if (operations[operationId]) throw new Error(`${where(node)}: ${operationId} is routed twice`);
        operations[operationId] = reach(implementation);
      }
      node.forEachChild(visit);
    };
    visit(sf);
  }

  const authentication: Raised = new Map();
  for (const [file, name] of AUTHENTICATION_ROOTS) {
    const sf = program.getSourceFile(resolve(ROOT, file));
    const fn = sf?.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name);
    if (!fn) throw new Error(`${name}() not found in ${file}`);
    for (const [code, subCodes] of reach(fn)) authentication.set(code, new Set([...(authentication.get(code) ?? []), ...subCodes]));
  }
  return { operations, authentication };
}

/** The operationId of an endpoint contract: `export const x = endpoint({ …, operationId: '…' })`. */
function operationIdOf(symbol: ts.Symbol | undefined, at: string): string {
  const decl = symbol?.declarations?.[0];
  const init = decl && ts.isVariableDeclaration(decl) ? decl.initializer : undefined;
  const object = init && ts.isCallExpression(init) ? init.arguments[0] : undefined;
  if (object && ts.isObjectLiteralExpression(object)) {
    for (const p of object.properties) {
      if (ts.isPropertyAssignment(p) && p.name.getText() === 'operationId' && ts.isStringLiteral(p.initializer)) return p.initializer.text;
    }
  }
  throw new Error(`${at}: the endpoint is not an endpoint({ operationId: '…' }) constant of lib/api/contracts`);
}

const CODE_ORDER = ['BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'Conflict', 'PreconditionFailed', 'UnprocessableEntity', 'General', 'ServiceUnavailable'];

function literal(raised: Raised, indent: string): string {
  const codes = [...raised.keys()].sort((a, b) => CODE_ORDER.indexOf(a) - CODE_ORDER.indexOf(b));
  if (codes.length === 0) return '{}';
  const lines = codes.map((code) => `${indent}  ${code}: [${[...raised.get(code)!].sort().map((s) => `'${s}'`).join(', ')}],`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

export function render(): string {
  const { operations, authentication } = analyse();
  const ids = Object.keys(operations).sort();
  return `// Generated by \`npm run generate\` (infra/build/raised-sub-codes.ts) from the code that raises each error: do not edit.
// For each operation, the subCodes its route implementation can raise, by code; the authentication middleware and the
// scope check add theirs to every authenticated operation, the request schemas theirs to every operation with input.
import type { RaisedSubCodes } from './contract.js';

export const RAISED_BY_AUTHENTICATION = ${literal(authentication, '')} as const satisfies RaisedSubCodes;

export const RAISED_BY_OPERATION = {
${ids.map((id) => `  ${id}: ${literal(operations[id]!, '  ')},`).join('\n')}
} as const satisfies Record<string, RaisedSubCodes>;
`;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(GENERATED_FILE, render());
  console.log(`wrote ${relative(ROOT, GENERATED_FILE)}`);
}
