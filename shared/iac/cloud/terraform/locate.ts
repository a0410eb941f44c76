// Where blocks and attributes are in an HCL file. hcl2json gives values but no positions, so this
// walks the text once for structure only: block headers, attribute names, and enough of the
// expression syntax (strings, interpolations, heredocs, comments, brackets) to skip values safely.

export interface HclBlockIndex {
  type: string;
  labels: string[];
  /** 1-based line of the block header. */
  line: number;
  /** Attribute name -> 1-based line (the first definition). */
  attributes: Map<string, number>;
  /** Nested blocks in source order (the order hcl2json lists them in). */
  blocks: HclBlockIndex[];
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_-]/;

class Scanner {
  pos = 0;
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  lineAt(pos: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  private get c(): string {
    return this.text[this.pos] ?? '';
  }

  private at(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }

  /** Spaces and comments; newlines too when `newlines`. */
  skipBlank(newlines: boolean): void {
    while (this.pos < this.text.length) {
      const c = this.c;
      if (c === ' ' || c === '\t' || c === '\r' || (newlines && c === '\n')) this.pos++;
      else if (c === '#' || this.at('//')) this.skipLineComment();
      else if (this.at('/*')) this.skipBlockComment();
      else return;
    }
  }

  private skipLineComment(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.text.length : end;
  }

  private skipBlockComment(): void {
    const end = this.text.indexOf('*/', this.pos + 2);
    this.pos = end === -1 ? this.text.length : end + 2;
  }

  identifier(): string | null {
    if (!IDENT_START.test(this.c)) return null;
    const start = this.pos;
    while (IDENT_CHAR.test(this.c)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  /** A block label `"name"` (labels are plain strings). */
  quotedLabel(): string {
    this.pos++;
    let out = '';
    while (this.pos < this.text.length && this.c !== '"' && this.c !== '\n') {
      if (this.c === '\\') this.pos++;
      out += this.c;
      this.pos++;
    }
    if (this.c === '"') this.pos++;
    return out;
  }

  restOfLine(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end === -1 ? this.text.length : end;
  }

  /** An attribute's value: up to the newline outside brackets, or up to the `}` that closes the block. */
  skipExpression(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.c;
      if (c === '"') this.skipString();
      else if (this.at('<<') && this.heredoc()) continue;
      else if (c === '#' || this.at('//')) this.skipLineComment();
      else if (this.at('/*')) this.skipBlockComment();
      else if (c === '(' || c === '[' || c === '{') {
        depth++;
        this.pos++;
      } else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) return;
        depth--;
        this.pos++;
      } else if (c === '\n' && depth === 0) return;
      else this.pos++;
    }
  }

  /** A quoted template, including nested interpolations and directives. */
  private skipString(): void {
    this.pos++;
    while (this.pos < this.text.length) {
      const c = this.c;
      if (c === '\\') this.pos += 2;
      else if (c === '"' || c === '\n') {
        this.pos++;
        return;
      } else if (this.at('$${') || this.at('%%{')) this.pos += 3;
      else if (this.at('${') || this.at('%{')) {
        this.pos += 2;
        this.skipInterpolation();
      } else this.pos++;
    }
  }

  private skipInterpolation(): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.c;
      if (c === '"') this.skipString();
      else if (c === '{') {
        depth++;
        this.pos++;
      } else if (c === '}') {
        this.pos++;
        if (depth === 0) return;
        depth--;
      } else this.pos++;
    }
  }

  /** `<<EOF` / `<<-EOF` up to its closing marker line; false when `<<` is not a heredoc. */
  private heredoc(): boolean {
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(this.text.slice(this.pos, this.pos + 200));
    if (!m) {
      this.pos += 2;
      return true;
    }
    const marker = m[1];
    let lineStart = this.pos + m[0].length;
    while (lineStart < this.text.length) {
      const end = this.text.indexOf('\n', lineStart);
      const lineText = this.text.slice(lineStart, end === -1 ? this.text.length : end);
      if (lineText.trim() === marker) {
        this.pos = end === -1 ? this.text.length : end;
        return true;
      }
      if (end === -1) break;
      lineStart = end + 1;
    }
    this.pos = this.text.length;
    return true;
  }

  body(block: HclBlockIndex): void {
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) return;
      if (this.c === '}') {
        this.pos++;
        return;
      }
      const start = this.pos;
      const name = this.identifier();
      if (name === null) {
        this.restOfLine();
        continue;
      }
      const line = this.lineAt(start);
      this.skipBlank(false);
      if (this.c === '=' && this.text[this.pos + 1] !== '=') {
        this.pos++;
        if (!block.attributes.has(name)) block.attributes.set(name, line);
        this.skipExpression();
        continue;
      }
      const labels: string[] = [];
      for (;;) {
        this.skipBlank(false);
        if (this.c === '"') labels.push(this.quotedLabel());
        else {
          const label = this.identifier();
          if (label === null) break;
          labels.push(label);
        }
      }
      if (this.c === '{') {
        this.pos++;
        const child: HclBlockIndex = { type: name, labels, line, attributes: new Map(), blocks: [] };
        block.blocks.push(child);
        this.body(child);
      } else this.restOfLine();
    }
  }
}

/** The block and attribute positions of an HCL file (a root pseudo-block holding the top-level blocks). */
export function indexHcl(text: string): HclBlockIndex {
  const root: HclBlockIndex = { type: '', labels: [], line: 1, attributes: new Map(), blocks: [] };
  new Scanner(text).body(root);
  return root;
}

/** The `index`-th nested block of a type (hcl2json lists repeated blocks in source order). */
export function nestedBlock(block: HclBlockIndex | undefined, type: string, index = 0): HclBlockIndex | undefined {
  return block?.blocks.filter((b) => b.type === type)[index];
}
