// Converts simplified Chinese lines (stdin) to traditional (Taiwan standard) with npm
// opencc-js (MIT AND Apache-2.0). Usage: node opencc.mjs OPENCC_PACKAGE_DIR < in > out
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
const require = createRequire(import.meta.url);
const OpenCC = require(path.resolve(process.argv[2], 'dist/umd/full.js'));
const convert = OpenCC.Converter({ from: 'cn', to: 'tw' });
process.stdout.write(convert(readFileSync(0, 'utf8')));
