/**
 * The mocha globals that @web/test-runner provides to `*.test.ts` files.
 * Declared here because the repository's tsconfig limits `types` to node;
 * replace with @types/mocha if it is ever added.
 */
declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: () => void | Promise<unknown>): void;
declare function beforeEach(body: () => void | Promise<unknown>): void;
declare function afterEach(body: () => void | Promise<unknown>): void;
