import { AsyncResource, executionAsyncId } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { bindAddsAsyncResource, installLeanAsyncBind } from '../../../harness/replay/async-resource-bind.ts';

describe('AsyncResource.bind without the deprecated accessor', () => {
  installLeanAsyncBind();

  it('no longer adds asyncResource to bound functions', () => {
    expect(bindAddsAsyncResource()).toBe(false);
  });

  it('still runs the function in the resource\'s scope with its this, arguments and length', () => {
    const resource = new AsyncResource('test');
    const seen: unknown[] = [];
    const bound = resource.bind(function (this: unknown, a: number, b: number) {
      seen.push(executionAsyncId(), this, a + b);
      return 'r';
    });
    expect(bound.length).toBe(2);
    const self = { me: 1 };
    expect(bound.call(self, 2, 3)).toBe('r');
    expect(seen).toEqual([resource.asyncId(), self, 5]);
  });

  it('binds a given this when one is passed', () => {
    const resource = new AsyncResource('test');
    const self = { me: 2 };
    // Node's bind takes a thisArg (documented since v14.8), which @types/node leaves out.
    const bind = resource.bind as unknown as (fn: (this: unknown) => unknown, thisArg: unknown) => () => unknown;
    const bound = bind.call(resource, function (this: unknown) {
      return [executionAsyncId(), this];
    }, self);
    expect(bound()).toEqual([resource.asyncId(), self]);
  });
});
