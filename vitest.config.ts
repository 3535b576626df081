import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Tests that want the header cache pass their own cache folder; the rest must not litter the temp dir.
    env: { AMBIX_CACHE: '0' },
  },
});
