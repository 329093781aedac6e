// whatwg_diff.mjs — ungarble's codecs against the WHATWG reference, differentially.
//
// Reference: npm @exodus/bytes 1.16.0, which passes the web-platform-tests for the Encoding
// Standard and matches its current indexes exactly. For every WHATWG encoding we compare, in
// both replacement and fatal modes: every 1- and 2-byte input; for gb18030 every 4-byte input
// of the structured form [81–FE][30–39][81–FE][30–39] in a stride; and random byte strings
// biased to each encoding's interesting bytes. Encoders: every code point U+0000–U+FFFF plus a
// stride of the supplementary planes, in fatal mode.
// Usage: node tests/whatwg_diff.mjs path/to/ungarble_oracle   (prints "N passed, N failed")
import { spawnSync } from 'node:child_process'
import { TextDecoder } from '@exodus/bytes/encoding.js'
import { createMultibyteEncoder } from '@exodus/bytes/multi-byte.js'
import { createSinglebyteEncoder } from '@exodus/bytes/single-byte.js'

const oracle = process.argv[2]
const quick = process.env.UNGARBLE_DIFF_QUICK === '1'
let passed = 0, failed = 0
const failures = []

const single = ['ibm866', 'iso-8859-2', 'iso-8859-3', 'iso-8859-4', 'iso-8859-5', 'iso-8859-6',
  'iso-8859-7', 'iso-8859-8', 'iso-8859-8-i', 'iso-8859-10', 'iso-8859-13', 'iso-8859-14',
  'iso-8859-15', 'iso-8859-16', 'koi8-r', 'koi8-u', 'macintosh', 'windows-874', 'windows-1250',
  'windows-1251', 'windows-1252', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256',
  'windows-1257', 'windows-1258', 'x-mac-cyrillic', 'x-user-defined']
const multi = ['gbk', 'gb18030', 'big5', 'euc-jp', 'iso-2022-jp', 'shift_jis', 'euc-kr']
const utf = ['utf-8', 'utf-16le', 'utf-16be']

// Deterministic PRNG (mulberry32) so failures reproduce.
let seed = 0x5eed
function rnd() {
  seed |= 0; seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

function frame(records) {
  let size = 0
  for (const r of records) size += 4 + r.length
  const buf = Buffer.alloc(size)
  let o = 0
  for (const r of records) { buf.writeUInt32LE(r.length, o); o += 4; Buffer.from(r).copy(buf, o); o += r.length }
  return buf
}
function run(op, enc, records) {
  const res = spawnSync(oracle, [], { input: Buffer.concat([Buffer.from(`${op} ${enc}\n`), frame(records)]), maxBuffer: 1 << 30 })
  if (res.status !== 0) throw new Error(`oracle exited ${res.status} for ${op} ${enc}: ${res.stderr}`)
  const out = []
  const b = res.stdout
  let o = 0
  while (o < b.length) {
    const ok = b[o] === 1; const n = b.readUInt32LE(o + 1); o += 5
    out.push({ ok, data: b.subarray(o, o + n) }); o += n
  }
  if (out.length !== records.length) throw new Error(`oracle answered ${out.length} of ${records.length}`)
  return out
}
const hex = (u) => Buffer.from(u).toString('hex')

function check(name, ok, detail) {
  if (ok) passed++
  else { failed++; if (failures.length < 30) failures.push(`${name}: ${detail}`) }
}

function interesting(enc) {
  // Byte pools that exercise each decoder's states.
  const pools = {
    'utf-8': [0x41, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xa0, 0x9f, 0x90, 0x8f],
    gb18030: [0x30, 0x39, 0x81, 0x84, 0x8f, 0x90, 0xe3, 0xfe, 0xff, 0x80, 0x40, 0x7f, 0x41],
    'iso-2022-jp': [0x1b, 0x24, 0x28, 0x40, 0x42, 0x4a, 0x49, 0x21, 0x7e, 0x5c, 0x0e, 0x0f, 0x80, 0x30],
  }
  return pools[enc] ?? pools[{ gbk: 'gb18030' }[enc]] ?? null
}

function decodeCases(enc) {
  const cases = [new Uint8Array(0)]
  for (let a = 0; a < 256; a++) cases.push(Uint8Array.of(a))
  if (!single.includes(enc)) for (let a = 0; a < 256; a++) for (let b = 0; b < 256; b++) cases.push(Uint8Array.of(a, b))
  if (enc === 'gb18030' || enc === 'gbk') {
    const step = quick ? 97 : 7
    let i = 0
    for (let a = 0x81; a <= 0xfe; a++) for (let b = 0x30; b <= 0x39; b++) for (let c = 0x81; c <= 0xfe; c++) for (let d = 0x30; d <= 0x39; d++)
      if (i++ % step === 0) cases.push(Uint8Array.of(a, b, c, d))
  }
  const pool = interesting(enc)
  const n = quick ? 2000 : 20000
  for (let k = 0; k < n; k++) {
    const len = Math.floor(rnd() * 24)
    const u = new Uint8Array(len)
    for (let j = 0; j < len; j++) u[j] = pool && rnd() < 0.7 ? pool[Math.floor(rnd() * pool.length)] : Math.floor(rnd() * 256)
    cases.push(u)
  }
  return cases
}

for (const enc of [...utf, ...single, ...multi]) {
  const cases = decodeCases(enc)
  const ours = run('decode', enc, cases)
  const loose = new TextDecoder(enc)
  const fatal = new TextDecoder(enc, { fatal: true })
  let bad = 0
  for (let i = 0; i < cases.length; i++) {
    const want = loose.decode(cases[i])
    let wantOk = true
    try { fatal.decode(cases[i]) } catch { wantOk = false }
    const got = ours[i].data.toString('utf8')
    const same = got === want && ours[i].ok === wantOk
    if (!same) bad++
    check(`decode ${enc}`, same, `${hex(cases[i])}: ours ${JSON.stringify(got)} (strict ok=${ours[i].ok}), reference ${JSON.stringify(want)} (ok=${wantOk})`)
  }
  console.log(`decode ${enc.padEnd(15)} ${cases.length} inputs, ${bad} differ`)
}

// Encoders: UTF-8 input of single code points; the reference in fatal mode.
for (const enc of [...single.filter((e) => e !== 'x-user-defined' && e !== 'iso-8859-8-i'), ...multi]) {
  const ref = multi.includes(enc) ? createMultibyteEncoder(enc) : createSinglebyteEncoder(enc)
  const cps = []
  for (let c = 0; c < 0x10000; c++) if (c < 0xd800 || c > 0xdfff) cps.push(c)
  for (let c = 0x10000; c <= 0x10ffff; c += quick ? 4099 : 257) cps.push(c)
  if (enc === 'big5') for (let c = 0x20000; c < 0x2ffff; c++) cps.push(c)
  const strs = cps.map((c) => String.fromCodePoint(c))
  const ours = run('encode', enc, strs.map((s) => Buffer.from(s, 'utf8')))
  let bad = 0
  for (let i = 0; i < strs.length; i++) {
    let want = null
    try { want = Buffer.from(ref(strs[i])) } catch { want = null }
    const got = ours[i].ok ? ours[i].data : null
    const same = want === null ? got === null : got !== null && want.equals(got)
    if (!same) bad++
    check(`encode ${enc}`, same, `U+${cps[i].toString(16)}: ours ${got ? hex(got) : 'error'}, reference ${want ? hex(want) : 'error'}`)
  }
  console.log(`encode ${enc.padEnd(15)} ${strs.length} code points, ${bad} differ`)
}

for (const f of failures) console.log('  ' + f)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
