/**
 * Dockerfile word rules (the ones Docker applies to FROM, COPY, ENV, USER, WORKDIR, EXPOSE, ...):
 * quotes, the escape character of the `# escape=` directive, and `$VAR` / `${VAR…}` substitution.
 * RUN, CMD and ENTRYPOINT in shell form are left to the shell (see shell.ts).
 */

/** Variables visible to an instruction: `null` = declared but not known statically, `undefined` = not declared. */
export interface Scope {
  get(name: string): string | null | undefined;
}

/**
 * An immutable scope: every ARG/ENV adds a layer on top of the previous scope, so each instruction
 * keeps its own scope without a copy of every variable.
 */
export class Variables implements Scope {
  static readonly EMPTY = new Variables(new Map(), null);

  private constructor(
    private readonly own: ReadonlyMap<string, string | null>,
    private readonly parent: Variables | null,
  ) {}

  get(name: string): string | null | undefined {
    for (let s: Variables | null = this; s; s = s.parent) if (s.own.has(name)) return s.own.get(name);
    return undefined;
  }

  with(entries: readonly (readonly [string, string | null])[]): Variables {
    if (entries.length === 0) return this;
    let own = new Map(entries);
    let parent: Variables | null = this;
    // A layer absorbs the layers below it that are no larger (like a binary counter): chains stay
    // logarithmically short and each variable is copied a logarithmic number of times.
    while (parent && parent.own.size <= own.size) {
      const merged = new Map(parent.own);
      for (const [name, value] of own) merged.set(name, value);
      own = merged;
      parent = parent.parent;
    }
    return new Variables(own, parent);
  }
}

export interface Word {
  /** The word as written. */
  raw: string;
  /** Quotes and escapes removed, variables substituted; null when a variable cannot be resolved. */
  value: string | null;
}

/** Splits text into words at unquoted whitespace; substitutes variables when a scope is given. */
export function dockerWords(text: string, escape: string, scope?: Scope): Word[] {
  return new WordLexer(text, escape, scope).words(true);
}

/** The first word of the text (without reading the rest). */
export function firstDockerWord(text: string, escape: string): Word | undefined {
  return new WordLexer(text, escape, undefined).words(true, 1)[0];
}

/** The whole text as one word (whitespace kept), e.g. a legacy `ENV name value with spaces`. */
export function dockerWord(text: string, escape: string, scope?: Scope): string | null {
  const [word] = new WordLexer(text, escape, scope).words(false);
  return word ? word.value : '';
}

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATOR = /:?[-+?]/y;

class WordLexer {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly escape: string,
    private readonly scope: Scope | undefined,
  ) {}

  words(split: boolean, limit = Infinity): Word[] {
    const out: Word[] = [];
    while (this.pos < this.text.length && out.length < limit) {
      if (split) while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
      if (this.pos >= this.text.length) break;
      const start = this.pos;
      const value = this.word(split, null);
      out.push({ raw: this.text.slice(start, this.pos), value });
    }
    return out;
  }

  /** Reads up to unquoted whitespace when splitting (or up to `closer`, for `${…:-word}`); null when unresolvable. */
  private word(split: boolean, closer: string | null): string | null {
    let value = '';
    let known = true;
    const add = (part: string | null) => {
      if (part === null) known = false;
      else value += part;
    };
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if ((split && /\s/.test(ch)) || ch === closer) break;
      if (ch === this.escape) {
        this.pos++;
        if (this.pos < this.text.length) add(this.text[this.pos++]);
        else add(ch);
      } else if (ch === "'") {
        const end = this.text.indexOf("'", this.pos + 1);
        const stopAt = end < 0 ? this.text.length : end;
        add(this.text.slice(this.pos + 1, stopAt));
        this.pos = stopAt + 1;
      } else if (ch === '"') {
        this.pos++;
        add(this.doubleQuoted());
      } else if (ch === '$') {
        add(this.variable());
      } else {
        const end = this.ordinaryRunEnd(split, closer !== null);
        value += this.text.slice(this.pos, end);
        this.pos = end;
      }
    }
    return known ? value : null;
  }

  /** The end of a run of characters without special meaning (at least one character long). */
  private ordinaryRunEnd(splitting: boolean, inBraces: boolean): number {
    let end = this.pos + 1;
    while (end < this.text.length) {
      const ch = this.text[end];
      if (ch === this.escape || ch === "'" || ch === '"' || ch === '$' || (inBraces && ch === '}') || (splitting && /\s/.test(ch))) break;
      end++;
    }
    return end;
  }

  private doubleQuoted(): string | null {
    let value = '';
    let known = true;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') {
      const ch = this.text[this.pos];
      const next = this.text[this.pos + 1];
      if (ch === this.escape && (next === '"' || next === '$' || next === this.escape)) {
        value += next;
        this.pos += 2;
      } else if (ch === '$') {
        const part = this.variable();
        if (part === null) known = false;
        else value += part;
      } else {
        value += ch;
        this.pos++;
      }
    }
    this.pos++; // closing quote
    return known ? value : null;
  }

  /** At a `$`: substitutes `$NAME`, `${NAME}` and `${NAME<op>word}` with op `:-`, `-`, `:+`, `+`, `:?`, `?`. */
  private variable(): string | null {
    const text = this.text;
    const start = this.pos;
    this.pos++;
    if (text[this.pos] === '{') {
      this.pos++;
      const nameStart = this.pos;
      while (this.pos < text.length && NAME_CHAR.test(text[this.pos])) this.pos++;
      const name = text.slice(nameStart, this.pos);
      if (text[this.pos] === '}') {
        this.pos++;
        return this.scope ? this.lookup(name) : text.slice(start, this.pos);
      }
      OPERATOR.lastIndex = this.pos;
      const op = OPERATOR.exec(text)?.[0];
      if (!op || name === '') {
        this.skipToClosingBrace();
        return this.scope ? null : text.slice(start, this.pos); // other operators (#, %, /) are not evaluated
      }
      this.pos += op.length;
      const operand = this.word(false, '}');
      this.pos++; // closing brace
      if (!this.scope) return text.slice(start, this.pos);
      return applyOperator(this.lookup(name), op, operand);
    }
    if (this.pos < text.length && NAME_START.test(text[this.pos])) {
      while (this.pos < text.length && NAME_CHAR.test(text[this.pos])) this.pos++;
      return this.scope ? this.lookup(text.slice(start + 1, this.pos)) : text.slice(start, this.pos);
    }
    return '$';
  }

  private lookup(name: string): string | null {
    return this.scope?.get(name) ?? null;
  }

  private skipToClosingBrace(): void {
    let depth = 1;
    while (this.pos < this.text.length && depth > 0) {
      if (this.text[this.pos] === '{') depth++;
      else if (this.text[this.pos] === '}') depth--;
      this.pos++;
    }
  }
}

/**
 * An unknown value (declared without a default, or not declared here) takes the Dockerfile's own
 * fallback for `-`/`:-`, because that is what a build without the build-arg produces; anything that
 * depends on whether the value is set stays unknown.
 */
function applyOperator(value: string | null, op: string, operand: string | null): string | null {
  switch (op) {
    case ':-':
      return value === null || value === '' ? operand : value;
    case '-':
      return value === null ? operand : value;
    case ':+':
      return value === null ? null : value === '' ? '' : operand;
    case '+':
      return value === null ? null : operand;
    default: // `:?` and `?` fail the build when unset
      return value === null || (op === ':?' && value === '') ? null : value;
  }
}
