// The version both commands print; test/version.test.ts keeps it equal to package.json's, which a
// single executable cannot read at run time.
export const VERSION = '0.1.0';
