// Works around a garbage-collection cost of Node 20 that stalled the release
// clock. node:http2 binds every client request's connect callback with
// AsyncResource.prototype.bind, which on Node 20 also defines a deprecated
// `asyncResource` accessor (DEP0172) through util.deprecate; that sets the
// prototype of two fresh functions, so V8 gives each a map of its own in the
// old generation, and those maps keep the request's whole object graph (the
// stream, grpc-js's call layers) alive through every scavenge until the next
// full GC. Measured on the replay to two trivial targets: ~22 % of what a Run
// call allocates survived each scavenge (~2.9 MB at a time), so each took
// 5–12 ms; without the accessor ~2 % (~0.3 MB) survives (README, "Replay
// engine figures"). Node fixed this upstream (nodejs/node#58218: deprecate()
// no longer sets the prototype, #59195 and #59518; the accessor is
// End-of-Life in #58618), so the bind here is swapped only where a bound
// function still carries the accessor; it is otherwise Node's own bind.
import { AsyncResource } from 'node:async_hooks';

type Fn = (this: unknown, ...args: unknown[]) => unknown;

function leanBind(this: AsyncResource, fn: Fn, thisArg?: unknown): Fn {
  const resource = this;
  const bound: Fn =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : resource.runInAsyncScope.bind(resource, fn, thisArg) as Fn;
  Object.defineProperty(bound, 'length', { configurable: true, enumerable: false, value: fn.length, writable: false });
  return bound;
}

/** True when this Node's AsyncResource.bind still adds the deprecated accessor (the source of the cost above). */
export function bindAddsAsyncResource(): boolean {
  const bound = new AsyncResource('mirrorbench-probe').bind(() => undefined);
  return Object.getOwnPropertyDescriptor(bound, 'asyncResource') !== undefined;
}

let installed = false;

/** Swaps in the bind without the deprecated accessor, once per process, where Node still has it. */
export function installLeanAsyncBind(): void {
  if (installed) return;
  installed = true;
  if (bindAddsAsyncResource()) (AsyncResource.prototype as unknown as { bind: typeof leanBind }).bind = leanBind;
}
