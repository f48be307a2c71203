// Number test vectors for tests/test_canonical.py, computed by an independent implementation:
// JavaScript's own Number-to-string conversion (ECMAScript Number::toString, which RFC 8785
// section 3.2.2.3 adopts for JSON numbers).
//
//   node tests/data/es-numbers/generate.js > tests/data/es-numbers/vectors.csv
//
// Committed output: vectors.csv, made with Node.js v20; the Python tests read it and never need
// node. Each line is `hex-ieee,expected` as in the testdata README of
// https://github.com/cyberphone/json-canonicalization: `hex-ieee` is the IEEE-754 double's 64-bit
// pattern in lower-case hex without leading zeros, `expected` is JSON.stringify(value) (checked
// equal to String(value)). The sequence is deterministic:
//   1. the number samples of RFC 8785 Appendix B (finite ones; NaN and Infinity have no JSON form),
//      each also checked here against the text the RFC prints;
//   2. edge cases: +-0, the smallest subnormal, the largest subnormal, the smallest normal, the
//      largest double, 2^53 - 1, 2^53, 2^53 + 2 (2^53 + 1 is no double), the 1e21 and 1e-6/1e-7
//      boundaries and their neighbour doubles, powers of ten 1e-30 ... 1e30 with their neighbours,
//      and a few familiar decimals;
//   3. 5,000 pseudo-random doubles from a SplitMix64 generator seeded with 8785: 2,000 over all bit
//      patterns, 2,000 with exponents between about 3e-8 and 4e22 (where the layout switches
//      between plain and exponent form), 1,000 short decimals (a random integer over 10^k).
//      Bit patterns of NaN and Infinity are skipped. Duplicates are written once.
"use strict";

const buffer = new DataView(new ArrayBuffer(8));

function bitsOf(value) {
  buffer.setFloat64(0, value);
  return buffer.getBigUint64(0);
}

function valueOf(bits) {
  buffer.setBigUint64(0, BigInt.asUintN(64, bits));
  return buffer.getFloat64(0);
}

function neighbours(value) {
  const bits = bitsOf(value);
  return [valueOf(bits - 1n), value, valueOf(bits + 1n)];
}

// 1. RFC 8785 Appendix B: IEEE-754 pattern and the JSON text the RFC gives for it.
const appendixB = [
  [0x0000000000000000n, "0"],
  [0x8000000000000000n, "0"],
  [0x0000000000000001n, "5e-324"],
  [0x8000000000000001n, "-5e-324"],
  [0x7fefffffffffffffn, "1.7976931348623157e+308"],
  [0xffefffffffffffffn, "-1.7976931348623157e+308"],
  [0x4340000000000000n, "9007199254740992"],
  [0xc340000000000000n, "-9007199254740992"],
  [0x4430000000000000n, "295147905179352830000"],
  [0x44b52d02c7e14af5n, "9.999999999999997e+22"],
  [0x44b52d02c7e14af6n, "1e+23"],
  [0x44b52d02c7e14af7n, "1.0000000000000001e+23"],
  [0x444b1ae4d6e2ef4en, "999999999999999700000"],
  [0x444b1ae4d6e2ef4fn, "999999999999999900000"],
  [0x444b1ae4d6e2ef50n, "1e+21"],
  [0x3eb0c6f7a0b5ed8cn, "9.999999999999997e-7"],
  [0x3eb0c6f7a0b5ed8dn, "0.000001"],
  [0x41b3de4355555553n, "333333333.3333332"],
  [0x41b3de4355555554n, "333333333.33333325"],
  [0x41b3de4355555555n, "333333333.3333333"],
  [0x41b3de4355555556n, "333333333.3333334"],
  [0x41b3de4355555557n, "333333333.33333343"],
  [0xbecbf647612f3696n, "-0.0000033333333333333333"],
  [0x43143ff3c1cb0959n, "1424953923781206.2"],
];

const values = [];
for (const [bits, text] of appendixB) {
  const value = valueOf(bits);
  if (JSON.stringify(value) !== text) {
    throw new Error(`RFC 8785 Appendix B ${bits.toString(16)}: node gives ${JSON.stringify(value)}, the RFC ${text}`);
  }
  values.push(value);
}

// 2. Edge cases.
values.push(
  0,
  -0,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  valueOf(0x000fffffffffffffn), // largest subnormal
  valueOf(0x0010000000000000n), // smallest normal
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2 ** 53 - 1,
  2 ** 53,
  valueOf(bitsOf(2 ** 53) + 1n), // 2^53 + 2
  -(2 ** 53 - 1),
  -(2 ** 53),
  2 ** 63,
  2 ** 64,
  -(2 ** 63),
  ...neighbours(1e21),
  ...neighbours(-1e21),
  ...neighbours(1e-6),
  ...neighbours(1e-7),
  ...neighbours(-1e-7),
  0.1,
  0.2,
  0.3,
  0.1 + 0.2,
  1 / 3,
  2 / 3,
  1.5,
  -1.5,
  100,
  123.456,
  4.35,
  0.5,
  1e16,
  1.5e16,
  12345678901234567890,
);
for (let power = -30; power <= 30; power++) {
  const value = Number(`1e${power}`);
  values.push(...neighbours(value), -value);
}

// 3. Pseudo-random doubles (SplitMix64).
let state = 8785n;
function next64() {
  state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
  let z = state;
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

function isFiniteBits(bits) {
  return ((bits >> 52n) & 0x7ffn) !== 0x7ffn;
}

for (let count = 0; count < 2000; ) {
  const bits = next64();
  if (isFiniteBits(bits)) {
    values.push(valueOf(bits));
    count++;
  }
}
for (let count = 0; count < 2000; count++) {
  const bits = next64();
  const exponent = 1023n - 25n + (bits >> 53n) % 101n; // about 3e-8 ... 4e22
  const sign = bits & (1n << 63n);
  values.push(valueOf(sign | (exponent << 52n) | (bits & 0xfffffffffffffn)));
}
for (let count = 0; count < 1000; count++) {
  const bits = next64();
  const digits = Number(bits % 10000000n);
  const power = Number((bits >> 32n) % 12n);
  values.push((bits & 1n ? -digits : digits) / 10 ** power);
}

const seen = new Set();
const lines = [];
for (const value of values) {
  if (!Number.isFinite(value)) {
    throw new Error(`not finite: ${value}`);
  }
  const hex = bitsOf(value).toString(16);
  if (seen.has(hex)) {
    continue;
  }
  seen.add(hex);
  const text = JSON.stringify(value);
  if (text !== String(value)) {
    throw new Error(`JSON.stringify and String disagree on ${hex}: ${text} vs ${String(value)}`);
  }
  lines.push(`${hex},${text}`);
}
process.stdout.write(lines.join("\n") + "\n");
