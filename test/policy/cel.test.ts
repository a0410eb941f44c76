import { describe, expect, it } from 'vitest';
import { CelCompileError, celInput, compileCel, messageOf, verdictOf } from '../../shared/policy/cel.ts';

const scope = { names: ['object'] };
const run = (expression: string, object: unknown = {}) => compileCel(expression, scope).evaluate({ object: celInput(object) });
const verdict = (expression: string, object: unknown = {}) => verdictOf(run(expression, object));

describe('celInput: YAML values as the API server decodes them', () => {
  it('makes whole numbers ints and other numbers doubles', () => {
    expect(celInput({ replicas: 3, ratio: 0.5, list: [1, 2.5], big: 2 ** 60 })).toEqual({ replicas: 3n, ratio: 0.5, list: [1n, 2.5], big: 2 ** 60 });
    expect(verdict('object.spec.replicas > 2', { spec: { replicas: 3 } })).toBe(true);
    expect(verdict('object.spec.replicas == 3 && object.spec.replicas + 1 == 4 && string(object.spec.replicas) == "3"', { spec: { replicas: 3 } })).toBe(true);
    expect(verdict('object.ratio < 1 && object.ratio > 0.25', { ratio: 0.5 })).toBe(true);
  });

  it('keeps strings, bools and nulls, and writes timestamps back as strings', () => {
    expect(celInput({ a: 'x', b: true, c: null, d: undefined, e: new Date('2024-05-01T10:00:00Z') })).toEqual({ a: 'x', b: true, c: null, d: null, e: '2024-05-01T10:00:00Z' });
  });
});

describe('compileCel', () => {
  it('rejects syntax errors, unknown functions and undeclared names', () => {
    expect(() => compileCel('object.spec >', scope)).toThrow(CelCompileError);
    expect(() => compileCel('object.url()', scope)).toThrow("unknown function 'url'");
    expect(() => compileCel('spec.replicas > 1', scope)).toThrow("undeclared reference to 'spec'");
  });

  it('accepts comprehension variables, type names and has()', () => {
    expect(() => compileCel('object.items.all(i, i.exists(j, j > 0)) && type(object) == map && has(object.x)', scope)).not.toThrow();
    expect(() => compileCel('object.items.map(i, i.name).exists(n, i == n)', scope)).toThrow("undeclared reference to 'i'");
  });

  it('records the names read and the field path every object read shares', () => {
    const program = compileCel(
      'has(object.spec.template.spec.containers) && object.spec.template.spec.containers.all(c, c.name != "")',
      { names: ['object', 'request'] },
    );
    expect([...program.references]).toEqual(['object']);
    expect(program.objectPath).toEqual(['spec', 'template', 'spec', 'containers']);
    expect(compileCel('object.spec.a || object.spec.b.c', scope).objectPath).toEqual(['spec']);
    expect(compileCel('object.metadata.name != "" && object.spec.x', scope).objectPath).toEqual([]);
    expect(compileCel('size(object) > 0 && object.spec.x', scope).objectPath).toEqual([]); // reads the whole object
    expect(compileCel('[1].all(object, object > 0) && object.spec.x', scope).objectPath).toEqual(['spec', 'x']); // the loop variable is not the object
  });

  it('accepts only declared variables.<name>', () => {
    expect(() => compileCel('variables.a + variables.b', { names: [], variables: ['a', 'b'] })).not.toThrow();
    expect(() => compileCel("variables['a']", { names: [], variables: ['a'] })).toThrow('variables can only be read as variables.<name>');
    expect(() => compileCel('variables.c', { names: [], variables: ['a'] })).toThrow('variables.c is not declared before this expression (declared: a)');
  });

  it('counts authorizer library calls as reads of authorizer', () => {
    const program = compileCel("authorizer.group('apps').resource('deployments').check('create').allowed()", { names: ['authorizer'] });
    expect(program.references.has('authorizer')).toBe(true);
  });
});

describe('Kubernetes CEL library functions', () => {
  it.each([
    ["'a,b,c'.split(',').join('-') == 'a-b-c'"],
    ["'  x '.trim() == 'x'"],
    ["'Hello'.lowerAscii() == 'hello' && 'Hello'.upperAscii() == 'HELLO'"],
    ["'a-b-c'.replace('-', '.') == 'a.b.c' && 'a-b-c'.replace('-', '.', 1) == 'a.b-c'"],
    ["'registry/app'.indexOf('/') == 8 && 'abc'.indexOf('z') == -1"],
    ["'nginx:1.25'.startsWith('nginx') && 'nginx:1.25'.endsWith('.25') && 'nginx:1.25'.contains(':')"],
    ["'nginx@sha256:abc'.matches('@sha256:[a-f0-9]+$') && !'nginx'.matches('^ng$')"],
    ["size('abc') == 3 && size([1, 2]) == 2 && size({'a': 1}) == 1 && [1, 2].size() == 2"],
    ['[1, 2, 3].exists_one(x, x > 2) && [1, 2, 3].filter(x, x > 1) == [2, 3] && [1, 2].map(x, x * 2) == [2, 4]'],
    ['[1, 2, 2, 3].isSorted() && !["b", "a"].isSorted() && [].isSorted()'],
    ['[1, 2, 3].sum() == 6 && [0.5, 1.5].sum() == 2.0 && [].sum() == 0'],
    ['[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && ["b", "a"].min() == "a" && [1, 2.5].max() == 2.5'],
    ['[1, 2, 1].indexOf(1) == 0 && [1, 2, 1].lastIndexOf(1) == 2 && ["a"].indexOf("b") == -1'],
  ])('%s', (expression) => {
    expect(verdict(expression)).toBe(true);
  });

  it('reports misuse as evaluation errors', () => {
    expect(verdict('[].min() == 0')).toMatch(/min\(\) of an empty list/);
    expect(verdict('[1, "a"].isSorted()')).toMatch(/cannot order int and string/);
    expect(verdict('[1, 2.5].sum() > 0')).toMatch(/sum\(\) needs a list of ints or a list of doubles/);
  });
});

describe('verdictOf and messageOf', () => {
  it('turns results into verdicts', () => {
    expect(verdict('true')).toBe(true);
    expect(verdict('1 > 2')).toBe(false);
    expect(verdict('object.missing')).toMatch(/missing/);
    expect(verdict('[1]')).toBe('returned list, expected bool');
  });

  it('uses messageExpression only when it yields a one-line, non-blank string', () => {
    const message = (expression: string) => messageOf(compileCel(expression, scope), { object: {} }, 'fallback');
    expect(message("'custom'")).toBe('custom');
    expect(message("''")).toBe('fallback');
    expect(message("' '")).toBe('fallback');
    expect(message("'a\\nb'")).toBe('fallback');
    expect(message('object.nothing')).toBe('fallback');
    expect(message('42')).toBe('fallback');
    expect(messageOf(undefined, {}, 'fallback')).toBe('fallback');
  });
});
