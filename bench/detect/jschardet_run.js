// jschardet (npm, installed into bench/detect/node_modules) over paths on stdin:
// prints path<TAB>encoding<TAB>confidence.
const fs = require('fs');
const path = require('path');
const jschardet = require(path.join(__dirname, 'node_modules', 'jschardet'));
const lines = fs.readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = [];
for (const p of lines) {
  let enc = 'none', conf = 0;
  try {
    const r = jschardet.detect(fs.readFileSync(p));
    if (r && r.encoding) { enc = r.encoding; conf = r.confidence; }
  } catch (e) { /* no answer */ }
  out.push(`${p}\t${enc}\t${conf}`);
}
process.stdout.write(out.join('\n') + '\n');
