// Evaluates the Terraform expressions hcl2json leaves as `${...}` strings, as far as a scan can:
// literals, templates, tuples, objects, `var.*`, `local.*`, `data.*` through the scope, operators,
// conditionals and a few pure functions. Anything that needs a plan (other resources' attributes,
// `count.index`, files, for expressions) is UNKNOWN, and UNKNOWN is never a finding.
import { containsUnknown, isUnknown, UNKNOWN, type Unknown } from '../model.ts';

/** The result of `jsonencode(...)`: kept as a value so policies written in HCL can be read even when parts are unknown. */
export class JsonText {
  constructor(readonly value: HclValue) {}
}

export type HclValue = null | boolean | number | string | HclValue[] | { [key: string]: HclValue } | JsonText | Unknown;

export interface EvalScope {
  /** `var.<name>` */
  variable(name: string): HclValue;
  /** `local.<name>` */
  local(name: string): HclValue;
  /** `data.<type>.<name>`, the attribute object of a data source the scan can compute (or UNKNOWN). */
  data(type: string, name: string): HclValue;
}

/** A value from hcl2json's JSON: literals stay, `${...}` strings are evaluated. */
export function evaluateJson(value: unknown, scope: EvalScope): HclValue {
  if (typeof value === 'string') return value.includes('${') || value.includes('%{') ? evaluateTemplate(value, scope) : unescapeTemplate(value);
  if (Array.isArray(value)) return value.map((v) => evaluateJson(v, scope));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, HclValue> = {};
    for (const [k, v] of Object.entries(value)) out[k] = evaluateJson(v, scope);
    return out;
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  return UNKNOWN;
}

/** A string as hcl2json gives it (the body of a template, without quotes). */
export function evaluateTemplate(text: string, scope: EvalScope): HclValue {
  try {
    const parser = new Parser(text, scope);
    return parser.templateBody(null);
  } catch (e) {
    if (e instanceof Unsupported) return UNKNOWN;
    throw e;
  }
}

/** `$${` and `%%{` are how a template writes a literal `${` and `%{`. */
const unescapeTemplate = (s: string) => s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');

/** Syntax the evaluator does not follow: the whole expression becomes UNKNOWN. */
class Unsupported extends Error {}

/** JSON text of a value, or UNKNOWN when any part of it is unknown. */
export function toJsonText(value: HclValue): string | Unknown {
  const plain = plainValue(value);
  return containsUnknown(plain) ? UNKNOWN : JSON.stringify(plain);
}

/** The value with `jsonencode` results decoded to their content. */
export function plainValue(value: HclValue): unknown {
  if (value instanceof JsonText) return plainValue(value.value);
  if (Array.isArray(value)) return value.map(plainValue);
  if (value !== null && typeof value === 'object' && !isUnknown(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
  }
  return value;
}

function asText(value: HclValue): string | Unknown {
  if (isUnknown(value)) return UNKNOWN;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof JsonText) return toJsonText(value.value);
  throw new Unsupported('not a string');
}

function equal(a: HclValue, b: HclValue): boolean | Unknown {
  if (containsUnknown(plainValue(a)) || containsUnknown(plainValue(b))) return UNKNOWN;
  return JSON.stringify(plainValue(a)) === JSON.stringify(plainValue(b));
}

const BINARY: Record<string, number> = { '||': 1, '&&': 2, '==': 3, '!=': 3, '<': 4, '>': 4, '<=': 4, '>=': 4, '+': 5, '-': 5, '*': 6, '/': 6, '%': 6 };

class Parser {
  pos = 0;

  constructor(
    readonly src: string,
    readonly scope: EvalScope,
  ) {}

  /** The current character (a method, so TypeScript does not narrow it across moves). */
  private ch(): string {
    return this.src[this.pos] ?? '';
  }

  private at(s: string): boolean {
    return this.src.startsWith(s, this.pos);
  }

  private ws(): void {
    for (;;) {
      while (/\s/.test(this.ch())) this.pos++;
      if (this.ch() === '#' || this.at('//')) {
        while (this.pos < this.src.length && this.ch() !== '\n') this.pos++;
      } else if (this.at('/*')) {
        const end = this.src.indexOf('*/', this.pos + 2);
        this.pos = end === -1 ? this.src.length : end + 2;
      } else return;
    }
  }

  private expect(s: string): void {
    this.ws();
    if (!this.at(s)) throw new Unsupported(`expected ${s}`);
    this.pos += s.length;
  }

  /**
   * Template parts up to `end` (a closing quote) or the end of the text. A template that is a single
   * interpolation yields that value unconverted, as Terraform does.
   */
  templateBody(end: '"' | null): HclValue {
    const parts: HclValue[] = [];
    let literal = '';
    while (this.pos < this.src.length) {
      if (end && this.ch() === end) {
        this.pos++;
        break;
      }
      if (this.at('$${') || this.at('%%{')) {
        literal += this.src.slice(this.pos + 1, this.pos + 3);
        this.pos += 3;
      } else if (this.at('%{')) throw new Unsupported('template directive');
      else if (this.at('${')) {
        this.pos += 2;
        if (this.ch() === '~') this.pos++;
        if (literal) parts.push(literal);
        literal = '';
        parts.push(this.expression());
        this.ws();
        if (this.ch() === '~') this.pos++;
        this.expect('}');
      } else if (end && this.ch() === '\\') {
        literal += this.escape();
      } else {
        literal += this.ch();
        this.pos++;
      }
    }
    if (literal) parts.push(literal);
    if (parts.length === 0) return '';
    if (parts.length === 1) return parts[0];
    let out = '';
    for (const part of parts) {
      const text = asText(part);
      if (isUnknown(text)) return UNKNOWN;
      out += text;
    }
    return out;
  }

  private escape(): string {
    const next = this.src[this.pos + 1];
    this.pos += 2;
    switch (next) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '"':
        return '"';
      case '\\':
        return '\\';
      case 'u':
      case 'U': {
        const len = next === 'u' ? 4 : 8;
        const hex = this.src.slice(this.pos, this.pos + len);
        this.pos += len;
        return String.fromCodePoint(parseInt(hex, 16));
      }
      default:
        throw new Unsupported('escape');
    }
  }

  expression(): HclValue {
    const condition = this.binary(0);
    this.ws();
    if (this.ch() !== '?') return condition;
    this.pos++;
    const whenTrue = this.expression();
    this.expect(':');
    const whenFalse = this.expression();
    if (condition === true) return whenTrue;
    if (condition === false) return whenFalse;
    if (isUnknown(condition)) return equal(whenTrue, whenFalse) === true ? whenTrue : UNKNOWN;
    throw new Unsupported('condition is not a bool');
  }

  private operator(): string | null {
    this.ws();
    for (const op of ['||', '&&', '==', '!=', '<=', '>=', '<', '>', '+', '-', '*', '/', '%']) {
      if (this.at(op)) return op;
    }
    return null;
  }

  private binary(minPrecedence: number): HclValue {
    let left = this.unary();
    for (;;) {
      const op = this.operator();
      if (op === null || BINARY[op] <= minPrecedence) return left;
      this.pos += op.length;
      const right = this.binary(BINARY[op]);
      left = applyBinary(op, left, right);
    }
  }

  private unary(): HclValue {
    this.ws();
    if (this.ch() === '!') {
      this.pos++;
      const v = this.unary();
      if (isUnknown(v)) return UNKNOWN;
      if (typeof v !== 'boolean') throw new Unsupported('! on a non-bool');
      return !v;
    }
    if (this.ch() === '-' && !/\d/.test(this.src[this.pos + 1] ?? '')) {
      this.pos++;
      const v = this.unary();
      if (isUnknown(v)) return UNKNOWN;
      if (typeof v !== 'number') throw new Unsupported('- on a non-number');
      return -v;
    }
    return this.postfix(this.primary());
  }

  private postfix(value: HclValue): HclValue {
    for (;;) {
      this.ws();
      if (this.at('.*') || this.at('[*]')) throw new Unsupported('splat');
      if (this.ch() === '.' && /[A-Za-z_0-9]/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        const key = this.identifierOrNumber();
        value = index(value, /^\d+$/.test(key) ? Number(key) : key);
      } else if (this.ch() === '[') {
        this.pos++;
        const key = this.expression();
        this.expect(']');
        value = isUnknown(key) ? UNKNOWN : index(value, key);
      } else return value;
    }
  }

  private identifierOrNumber(): string {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*|^\d+/.exec(this.src.slice(this.pos));
    if (!m) throw new Unsupported('attribute name');
    this.pos += m[0].length;
    return m[0];
  }

  private primary(): HclValue {
    this.ws();
    const c = this.ch();
    if (c === '"') {
      this.pos++;
      return this.templateBody('"');
    }
    if (c === '(') {
      this.pos++;
      const v = this.expression();
      this.expect(')');
      return v;
    }
    if (c === '[') return this.tuple();
    if (c === '{') return this.object();
    if (this.at('<<')) throw new Unsupported('heredoc inside an expression');
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.src.slice(this.pos));
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
    if (!ident) throw new Unsupported(`unexpected ${c}`);
    this.pos += ident[0].length;
    const name = ident[0];
    if (name === 'true') return true;
    if (name === 'false') return false;
    if (name === 'null') return null;
    this.ws();
    if (this.at('::')) throw new Unsupported('provider function');
    if (this.ch() === '(') return this.call(name);
    return this.reference(name);
  }

  private reference(root: string): HclValue {
    const attribute = (): string | null => {
      this.ws();
      if (this.ch() !== '.' || !/[A-Za-z_]/.test(this.src[this.pos + 1] ?? '')) return null;
      this.pos++;
      return this.identifierOrNumber();
    };
    if (root === 'var' || root === 'local') {
      const name = attribute();
      if (name === null) throw new Unsupported(`bare ${root}`);
      return root === 'var' ? this.scope.variable(name) : this.scope.local(name);
    }
    if (root === 'data') {
      const type = attribute();
      const name = type === null ? null : attribute();
      if (name === null) throw new Unsupported('data reference');
      return this.scope.data(type!, name);
    }
    // Resource attributes, module outputs, count/each, path, self: decided at plan time.
    this.skipTraversal();
    return UNKNOWN;
  }

  private skipTraversal(): void {
    for (;;) {
      this.ws();
      if (this.ch() === '.' && /[A-Za-z_0-9*]/.test(this.src[this.pos + 1] ?? '')) {
        this.pos++;
        if (this.ch() === '*') this.pos++;
        else this.identifierOrNumber();
      } else if (this.ch() === '[') {
        this.pos++;
        this.ws();
        if (this.ch() === '*') this.pos++;
        else this.expression();
        this.expect(']');
      } else return;
    }
  }

  private isForExpression(): boolean {
    return /^\s*for\s/.test(this.src.slice(this.pos, this.pos + 16));
  }

  private tuple(): HclValue {
    this.pos++;
    if (this.isForExpression()) throw new Unsupported('for expression');
    const items: HclValue[] = [];
    for (;;) {
      this.ws();
      if (this.ch() === ']') {
        this.pos++;
        return items;
      }
      items.push(this.expression());
      this.ws();
      if (this.ch() === ',') this.pos++;
      else if (this.ch() !== ']') throw new Unsupported('tuple');
    }
  }

  private object(): HclValue {
    this.pos++;
    if (this.isForExpression()) throw new Unsupported('for expression');
    const out: Record<string, HclValue> = {};
    let unknownKey = false;
    for (;;) {
      this.ws();
      if (this.ch() === '}') {
        this.pos++;
        return unknownKey ? UNKNOWN : out;
      }
      let key: HclValue;
      const bare = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.src.slice(this.pos));
      if (bare && /^\s*[=:]/.test(this.src.slice(this.pos + bare[0].length))) {
        key = bare[0];
        this.pos += bare[0].length;
      } else key = this.expression();
      this.ws();
      if (this.ch() !== '=' && this.ch() !== ':') throw new Unsupported('object key');
      this.pos++;
      const value = this.expression();
      if (isUnknown(key)) unknownKey = true;
      else if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') out[String(key)] = value;
      else throw new Unsupported('object key type');
      this.ws();
      if (this.ch() === ',') this.pos++;
    }
  }

  private call(name: string): HclValue {
    this.pos++;
    const args: HclValue[] = [];
    let expand = false;
    for (;;) {
      this.ws();
      if (this.ch() === ')') {
        this.pos++;
        break;
      }
      args.push(this.expression());
      this.ws();
      if (this.at('...')) {
        this.pos += 3;
        expand = true;
        this.ws();
      }
      if (this.ch() === ',') this.pos++;
      else if (this.ch() !== ')') throw new Unsupported('arguments');
    }
    if (expand) {
      const last = args.pop()!;
      if (isUnknown(last) || !Array.isArray(last)) return UNKNOWN;
      args.push(...last);
    }
    return callFunction(name, args);
  }
}

function index(value: HclValue, key: HclValue): HclValue {
  if (isUnknown(value)) return UNKNOWN;
  if (value instanceof JsonText) throw new Unsupported('index into a string');
  if (Array.isArray(value) && typeof key === 'number') return key in value ? value[key] : UNKNOWN;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && (typeof key === 'string' || typeof key === 'number')) {
    return Object.hasOwn(value, String(key)) ? value[String(key)] : UNKNOWN;
  }
  throw new Unsupported('index');
}

function applyBinary(op: string, a: HclValue, b: HclValue): HclValue {
  if (op === '&&') {
    if (a === false || b === false) return false;
    if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
    return a === true && b === true;
  }
  if (op === '||') {
    if (a === true || b === true) return true;
    if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
    return false;
  }
  if (op === '==' || op === '!=') {
    const eq = equal(a, b);
    return isUnknown(eq) ? UNKNOWN : op === '==' ? eq : !eq;
  }
  if (isUnknown(a) || isUnknown(b)) return UNKNOWN;
  const x = typeof a === 'string' && a.trim() !== '' ? Number(a) : a;
  const y = typeof b === 'string' && b.trim() !== '' ? Number(b) : b;
  if (typeof x !== 'number' || typeof y !== 'number' || Number.isNaN(x) || Number.isNaN(y)) throw new Unsupported('arithmetic on non-numbers');
  switch (op) {
    case '<':
      return x < y;
    case '>':
      return x > y;
    case '<=':
      return x <= y;
    case '>=':
      return x >= y;
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '/':
      return x / y;
    default:
      return x % y;
  }
}

const isList = (v: HclValue): v is HclValue[] => Array.isArray(v);
const isObject = (v: HclValue): v is Record<string, HclValue> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonText) && !isUnknown(v);

/** The pure functions policies and toggles are commonly written with; anything else is UNKNOWN. */
function callFunction(name: string, args: HclValue[]): HclValue {
  const [first, second, third] = args;
  switch (name) {
    case 'jsonencode':
      return new JsonText(first ?? null);
    case 'jsondecode': {
      if (typeof first !== 'string') return first instanceof JsonText ? first.value : UNKNOWN;
      try {
        return JSON.parse(first) as HclValue;
      } catch {
        return UNKNOWN;
      }
    }
    case 'tostring':
      return first === undefined || first === null ? null : asText(first);
    case 'tonumber':
      return typeof first === 'number' ? first : typeof first === 'string' && first.trim() !== '' && !Number.isNaN(Number(first)) ? Number(first) : UNKNOWN;
    case 'tobool':
      return typeof first === 'boolean' ? first : first === 'true' ? true : first === 'false' ? false : UNKNOWN;
    case 'tolist':
    case 'toset':
    case 'tomap':
      return first ?? UNKNOWN;
    case 'lower':
    case 'upper':
    case 'trimspace': {
      if (typeof first !== 'string') return UNKNOWN;
      return name === 'lower' ? first.toLowerCase() : name === 'upper' ? first.toUpperCase() : first.trim();
    }
    case 'concat':
      return args.every(isList) ? args.flat() : UNKNOWN;
    case 'merge':
      return args.every(isObject) ? Object.assign({}, ...args) : UNKNOWN;
    case 'lookup': {
      if (!isObject(first) || typeof second !== 'string') return UNKNOWN;
      return Object.hasOwn(first, second) ? first[second] : args.length > 2 ? third : UNKNOWN;
    }
    case 'coalesce':
      for (const a of args) {
        if (isUnknown(a)) return UNKNOWN;
        if (a !== null && a !== '') return a;
      }
      return UNKNOWN;
    case 'contains':
      if (!isList(first)) return UNKNOWN;
      if (first.some((v) => equal(v, second ?? null) === true)) return true;
      return first.some(isUnknown) || isUnknown(second ?? null) ? UNKNOWN : false;
    case 'length':
      return isList(first) ? first.length : typeof first === 'string' ? [...first].length : isObject(first) ? Object.keys(first).length : UNKNOWN;
    case 'join':
      return typeof first === 'string' && isList(second) && second.every((s) => typeof s === 'string') ? second.join(first) : UNKNOWN;
    case 'split':
      return typeof first === 'string' && typeof second === 'string' ? second.split(first) : UNKNOWN;
    case 'try':
      return first ?? UNKNOWN;
    default:
      return UNKNOWN;
  }
}
