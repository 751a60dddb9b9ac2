/**
 * Plain Node only: make `require('@azure/functions-core')` load `./fakeCore`, as the Functions worker
 * does with the real module. Import this before anything calls `app.*`: the library looks the core
 * module up once, on the first registration, and caches a failure as "test mode" for good.
 * (Jest bypasses Module._load; jest.config.js maps the name with moduleNameMapper instead.)
 */
import Module from 'node:module';

interface ModuleLoader {
  _load(request: string, parent: unknown, isMain: boolean): unknown;
}

const loader = Module as unknown as ModuleLoader;
const fakeCorePath = require.resolve('./fakeCore');
const originalLoad = loader._load;

if (!(originalLoad as { fakeFunctionsCore?: boolean }).fakeFunctionsCore) {
  const patchedLoad = function (this: unknown, request: string, parent: unknown, isMain: boolean): unknown {
    return originalLoad.call(this, request === '@azure/functions-core' ? fakeCorePath : request, parent, isMain);
  };
  loader._load = Object.assign(patchedLoad, { fakeFunctionsCore: true });
}
