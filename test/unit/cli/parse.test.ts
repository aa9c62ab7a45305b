// The CLI's one set of value parsers: each takes what it names, refuses the
// rest with commander's InvalidArgumentError, and commander puts the flag's
// name in front of the message.
import { Command, InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { nameValue, nonNegativeInteger, nonNegativeNumber, numberList, numberWhere, port, positiveInteger, positiveNumber, shard } from '../../../harness/cli/parse.ts';

const refuses = (parse: (v: string) => unknown, v: string) => expect(() => parse(v), JSON.stringify(v)).toThrow(InvalidArgumentError);

describe('CLI value parsers', () => {
  it('takes what each names and refuses the rest, an empty value included', () => {
    expect(positiveNumber('2.5')).toBe(2.5);
    for (const v of ['0', '-1', '', ' ', 'x', 'Infinity', 'NaN']) refuses(positiveNumber, v);
    expect(nonNegativeNumber('0')).toBe(0);
    for (const v of ['-0.1', '', 'abc']) refuses(nonNegativeNumber, v);
    expect(nonNegativeInteger('0')).toBe(0);
    expect(nonNegativeInteger('42')).toBe(42);
    for (const v of ['1.5', '-1', '', '1e300']) refuses(nonNegativeInteger, v);
    expect(positiveInteger('3')).toBe(3);
    for (const v of ['0', '2.5', '']) refuses(positiveInteger, v);
    expect(port('0')).toBe(0);
    expect(port('65535')).toBe(65535);
    for (const v of ['65536', '-1', '80.5', '']) refuses(port, v);
    expect(numberList('0.1, 2,3')).toEqual([0.1, 2, 3]);
    for (const v of ['1,,2', '1,-2', 'a', '']) refuses(numberList, v);
    expect(shard('0/4')).toEqual({ index: 0, count: 4 });
    expect(shard(' 3/4 ')).toEqual({ index: 3, count: 4 });
    for (const v of ['4/4', '0/0', '-1/2', '1', '1/2/3']) refuses(shard, v);
  });

  it('gathers name=value pairs, numbers as numbers', () => {
    expect(nameValue('b=x', nameValue('a=1.5'))).toEqual({ a: 1.5, b: 'x' });
    expect(nameValue('e=')).toEqual({ e: '' });
    for (const v of ['=1', 'novalue']) refuses(nameValue, v);
  });

  it('names the flag when commander reports a refused value', async () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    program.option('--speed <factor>', 'speed', positiveNumber);
    await expect(program.parseAsync(['node', 'x', '--speed', '0'])).rejects.toThrow(/option '--speed <factor>' argument '0' is invalid\. expected a number > 0, found "0"/);
  });
});

describe('numberWhere', () => {
  it('takes a number its condition accepts and says what it wanted otherwise', () => {
    const probability = numberWhere((n) => n > 0 && n < 1, 'a number in (0, 1)');
    expect(probability('0.8')).toBe(0.8);
    for (const v of ['0', '1', '', 'x']) expect(() => probability(v)).toThrow(/expected a number in \(0, 1\), found/);
  });
});
