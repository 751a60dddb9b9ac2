/**
 * Offline reading of the Bicep templates for the infra tests (no Bicep CLI can be installed here):
 * tree-sitter-bicep (web-tree-sitter) parses every file, reports syntax errors with file:line:col,
 * lists resource types and API versions, and evaluates the app-settings variables of main.bicep
 * far enough to know each app's setting names and (with placeholders for what only Azure knows,
 * such as an identity's client id) their values. A small evaluator, not a Bicep compiler: an
 * expression it does not know fails the test that needs it, naming the expression.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

export const INFRA_DIR = path.join(__dirname, '../../infra');

let parser: Promise<Parser> | undefined;

/** One parser per process, initialised once (concurrent first calls share the initialisation). */
function bicepParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    // Bytes, not a path: with a path the library imports fs dynamically, which jest's VM refuses.
    const language = await Language.load(fs.readFileSync(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm')));
    const created = new Parser();
    created.setLanguage(language);
    return created;
  })();
  return parser;
}

export interface BicepFile {
  readonly file: string;
  readonly text: string;
  readonly tree: Tree;
  /** `file:line:col what`, one per ERROR or MISSING node. */
  readonly syntaxErrors: readonly string[];
}

function syntaxErrors(file: string, root: Node): string[] {
  const out: string[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'ERROR' || node.isMissing) {
      const what = node.isMissing ? `missing ${node.type}` : `unexpected '${node.text.slice(0, 40)}'`;
      out.push(`${file}:${node.startPosition.row + 1}:${node.startPosition.column + 1} ${what}`);
      return;
    }
    for (const child of node.children) if (child !== null) walk(child);
  };
  walk(root);
  return out;
}

/**
 * Parses Bicep source. `.bicepparam` files (`using` + `param x = value`) are read as Bicep with
 * their assignments as variables: the grammar knows no parameter files, the expressions are the same.
 */
export async function parseBicep(file: string, text = fs.readFileSync(file, 'utf8')): Promise<BicepFile> {
  const source = file.endsWith('.bicepparam') ? text.replace(/^(\s*)param(\s+\w+\s*=)/gm, '$1var  $2') : text;
  const tree = (await bicepParser()).parse(source);
  if (tree === null) throw new Error(`${file}: the parser returned nothing`);
  return { file: path.relative(process.cwd(), file), text, tree, syntaxErrors: syntaxErrors(path.relative(process.cwd(), file), tree.rootNode) };
}

/** Every .bicep and .bicepparam file under infra/. */
export function infraFiles(dir = INFRA_DIR): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.bicep') || name.endsWith('.bicepparam'))
    .map((name) => path.join(dir, name))
    .sort();
}

export interface ResourceUse {
  readonly type: string;
  readonly apiVersion: string;
  readonly at: string;
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((child): child is Node => child !== null);
}

function at(file: BicepFile, node: Node): string {
  return `${file.file}:${node.startPosition.row + 1}:${node.startPosition.column + 1}`;
}

/** `resource x 'Type@version'` declarations, existing ones included. */
export function resourceUses(file: BicepFile): ResourceUse[] {
  const out: ResourceUse[] = [];
  const walk = (node: Node): void => {
    if (node.type === 'resource_declaration') {
      const typeString = named(node).find((child) => child.type === 'string');
      if (typeString !== undefined) {
        const [type = '', apiVersion = ''] = typeString.text.slice(1, -1).split('@');
        out.push({ type, apiVersion, at: at(file, typeString) });
      }
    }
    for (const child of named(node)) walk(child);
  };
  walk(file.tree.rootNode);
  return out;
}

/** Module paths (`module x 'path'`), as written. */
export function modulePaths(file: BicepFile): string[] {
  return named(file.tree.rootNode)
    .filter((node) => node.type === 'module_declaration')
    .map((node) => named(node).find((child) => child.type === 'string')?.text.slice(1, -1) ?? '');
}

interface Declarations {
  readonly params: Map<string, Node | undefined>;
  readonly vars: Map<string, Node>;
}

function declarations(file: BicepFile): Declarations {
  const params = new Map<string, Node | undefined>();
  const vars = new Map<string, Node>();
  for (const node of named(file.tree.rootNode)) {
    const [name, ...rest] = named(node);
    if (name === undefined) continue;
    if (node.type === 'parameter_declaration') params.set(name.text, rest.find((child) => child.type !== 'type'));
    if (node.type === 'variable_declaration' && rest[0] !== undefined) vars.set(name.text, rest[rest.length - 1] as Node);
  }
  return { params, vars };
}

/** The declared parameter names of a template. */
export function parameterNames(file: BicepFile): string[] {
  return [...declarations(file).params.keys()];
}

/**
 * Setting names in a variable's object literals, following references to other variables, both
 * branches of conditionals and every argument of union(): every key the template may write.
 */
export function settingKeys(file: BicepFile, variable: string): Set<string> {
  const { vars } = declarations(file);
  const keys = new Set<string>();
  const walk = (node: Node): void => {
    if (node.type === 'object') {
      for (const property of named(node).filter((child) => child.type === 'object_property')) {
        const key = named(property)[0];
        if (key !== undefined) keys.add(key.type === 'string' ? key.text.slice(1, -1) : key.text);
      }
      return;
    }
    if (node.type === 'identifier' && vars.has(node.text)) return walk(vars.get(node.text) as Node);
    if (node.type === 'ternary_expression') {
      for (const branch of [node.childForFieldName('consequence'), node.childForFieldName('alternative')]) if (branch !== null) walk(branch);
      return;
    }
    if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'union') {
      for (const argument of named(node.childForFieldName('arguments') as Node)) walk(argument);
      return;
    }
    if (node.type === 'parenthesized_expression') for (const child of named(node)) walk(child);
  };
  const root = vars.get(variable);
  if (root === undefined) throw new Error(`${file.file}: no variable ${variable}`);
  walk(root);
  return keys;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export class UnknownExpression extends Error {
  constructor(readonly expression: string) {
    super(`cannot evaluate '${expression}' offline: give it a placeholder`);
  }
}

export interface EvaluationInputs {
  /** Parameter values (the .bicepparam file's); others take their defaults. */
  readonly parameters: Readonly<Record<string, Value>>;
  /** Values of expressions only Azure knows, by their source text (e.g. `apiIdentity.properties.clientId`). */
  readonly placeholders: Readonly<Record<string, Value>>;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', r: '\r', t: '\t' })[c] ?? c);
}

class Evaluator {
  private readonly decl: Declarations;
  private readonly cache = new Map<string, Value>();

  constructor(
    private readonly file: BicepFile,
    private readonly inputs: EvaluationInputs,
  ) {
    this.decl = declarations(file);
  }

  variable(name: string): Value {
    if (this.cache.has(name)) return this.cache.get(name) as Value;
    const node = this.decl.vars.get(name);
    if (node === undefined) throw new Error(`${this.file.file}: no variable ${name}`);
    const value = this.eval(node, new Map());
    this.cache.set(name, value);
    return value;
  }

  private identifier(name: string, scope: Map<string, Value>): Value {
    if (scope.has(name)) return scope.get(name) as Value;
    if (name in this.inputs.parameters) return this.inputs.parameters[name] as Value;
    if (this.decl.params.has(name)) {
      const fallback = this.decl.params.get(name);
      if (fallback === undefined) throw new Error(`${this.file.file}: parameter ${name} has no default and no value`);
      return this.eval(fallback, scope);
    }
    if (this.decl.vars.has(name)) return this.variable(name);
    return this.placeholder(name);
  }

  private placeholder(text: string): Value {
    if (text in this.inputs.placeholders) return this.inputs.placeholders[text] as Value;
    throw new UnknownExpression(text);
  }

  eval(node: Node, scope: Map<string, Value>): Value {
    switch (node.type) {
      case 'string': {
        let out = '';
        for (const part of node.namedChildren) {
          if (part === null) continue;
          if (part.type === 'interpolation') out += String(this.eval(named(part)[0] as Node, scope));
          else if (part.type === 'escape_sequence') out += unescape(part.text);
          else out += part.text;
        }
        return out;
      }
      case 'multiline_string':
        return node.text.slice(3, -3);
      case 'number':
        return Number(node.text);
      case 'boolean':
        return node.text === 'true';
      case 'null':
        return null;
      case 'array':
        return named(node).map((item) => this.eval(item, scope));
      case 'object': {
        const out: Record<string, Value> = {};
        for (const property of named(node).filter((child) => child.type === 'object_property')) {
          const [key, value] = named(property);
          if (key === undefined || value === undefined) continue;
          out[key.type === 'string' ? String(this.eval(key, scope)) : key.text] = this.eval(value, scope);
        }
        return out;
      }
      case 'identifier':
        return this.identifier(node.text, scope);
      case 'parenthesized_expression':
        return this.eval(named(node)[0] as Node, scope);
      case 'ternary_expression':
        return this.eval(node.childForFieldName(this.eval(node.childForFieldName('condition') as Node, scope) === true ? 'consequence' : 'alternative') as Node, scope);
      case 'binary_expression': {
        const [left, right] = named(node);
        const operator = node.children.find((child) => child !== null && !child.isNamed)?.text;
        if (operator === '??') {
          try {
            const value = this.eval(left as Node, scope);
            if (value !== null) return value;
          } catch (err) {
            if (!(err instanceof UnknownExpression)) throw err;
          }
          return this.eval(right as Node, scope);
        }
        const a = this.eval(left as Node, scope);
        const b = this.eval(right as Node, scope);
        if (operator === '==') return JSON.stringify(a) === JSON.stringify(b);
        if (operator === '!=') return JSON.stringify(a) !== JSON.stringify(b);
        if (operator === '&&') return a === true && b === true;
        if (operator === '||') return a === true || b === true;
        if (operator === '>') return (a as number) > (b as number);
        if (operator === '+') return (a as number) + (b as number);
        throw new UnknownExpression(node.text);
      }
      case 'unary_expression':
        if (node.text.startsWith('!')) return this.eval(named(node)[0] as Node, scope) !== true;
        throw new UnknownExpression(node.text);
      case 'call_expression':
        return this.call(node, scope);
      case 'member_expression': {
        // A property of a value the template computes (a lambda parameter, a variable); anything
        // else (a resource's or module's runtime property) only Azure knows.
        const object = node.childForFieldName('object');
        const property = node.childForFieldName('property');
        if (object?.type === 'identifier' && property !== null && (scope.has(object.text) || this.decl.vars.has(object.text))) {
          const base = this.eval(object, scope);
          if (base !== null && typeof base === 'object' && !Array.isArray(base)) return base[property.text] ?? null;
        }
        return this.placeholder(node.text);
      }
      default:
        throw new UnknownExpression(node.text);
    }
  }

  private call(node: Node, scope: Map<string, Value>): Value {
    const name = node.childForFieldName('function')?.text;
    const args = named(node.childForFieldName('arguments') as Node);
    const value = (i: number): Value => this.eval(args[i] as Node, scope);
    const lambda = (i: number): ((...values: Value[]) => Value) => {
      const fn = args[i] as Node;
      const parts = named(fn);
      const body = parts[parts.length - 1] as Node;
      const parameters = parts.slice(0, -1).flatMap((p) => (p.type === 'identifier' ? [p.text] : named(p).map((q) => q.text)));
      return (...values) => this.eval(body, new Map([...scope, ...parameters.map((p, k) => [p, values[k] as Value] as const)]));
    };
    switch (name) {
      case 'union': {
        const parts = args.map((_, i) => value(i));
        if (parts.every(Array.isArray)) return [...new Set(parts.flat().map((v) => JSON.stringify(v)))].map((v) => JSON.parse(v) as Value);
        return Object.assign({}, ...parts) as Value;
      }
      case 'empty': {
        const v = value(0);
        return v === null || v === '' || (Array.isArray(v) ? v.length === 0 : typeof v === 'object' && Object.keys(v).length === 0);
      }
      case 'join':
        return (value(0) as Value[]).map(String).join(String(value(1)));
      case 'string':
        return typeof value(0) === 'string' ? value(0) : JSON.stringify(value(0));
      case 'toLower':
        return String(value(0)).toLowerCase();
      case 'length': {
        const v = value(0);
        return Array.isArray(v) || typeof v === 'string' ? v.length : Object.keys(v as object).length;
      }
      case 'substring':
        return String(value(0)).substr(value(1) as number, value(2) as number);
      case 'contains': {
        const v = value(0);
        return typeof v === 'string' ? v.includes(String(value(1))) : Array.isArray(v) ? v.includes(value(1)) : Object.hasOwn(v as object, String(value(1)));
      }
      case 'range':
        return Array.from({ length: value(1) as number }, (_, i) => (value(0) as number) + i);
      case 'items':
        return Object.entries(value(0) as Record<string, Value>)
          .sort(([a], [b]) => a.toLowerCase().localeCompare(b.toLowerCase()))
          .map(([key, v]) => ({ key, value: v }));
      case 'map':
        return (value(0) as Value[]).map((item, i) => lambda(1)(item, i));
      case 'filter':
        return (value(0) as Value[]).filter((item, i) => lambda(1)(item, i) === true);
      case 'take': {
        const v = value(0);
        return typeof v === 'string' || Array.isArray(v) ? v.slice(0, value(1) as number) : v;
      }
      default:
        return this.placeholder(node.text);
    }
  }
}

/** Evaluates a variable of a template (e.g. `apiAppSettings`) with the given inputs. */
export function evaluateVariable(file: BicepFile, variable: string, inputs: EvaluationInputs): Value {
  return new Evaluator(file, inputs).variable(variable);
}

/** The `param x = value` assignments of a .bicepparam file, evaluated (literals and references). */
export function parameterFileValues(file: BicepFile): Record<string, Value> {
  const evaluator = new Evaluator(file, { parameters: {}, placeholders: {} });
  const out: Record<string, Value> = {};
  for (const name of declarations(file).vars.keys()) out[name] = evaluator.variable(name);
  return out;
}
