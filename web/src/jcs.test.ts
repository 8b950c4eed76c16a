// Tests of src/jcs.ts (RFC 8785 canonical JSON and the strict parser), with no test framework:
//   npx esbuild src/jcs.test.ts --bundle --platform=node --log-level=warning | node
// They are not part of the portal's bundle.
import { JcsError, canonicalize, parseStrictJson } from "./jcs";

let failures = 0;
let passed = 0;
function check(name: string, cond: boolean, detail?: unknown): void {
  if (cond) {
    passed += 1;
  } else {
    failures += 1;
    console.error(`FAIL ${name}${detail === undefined ? "" : `: ${JSON.stringify(detail)}`}`);
  }
}
function canon(text: string): string {
  return canonicalize(parseStrictJson(text));
}
function refuses(name: string, f: () => unknown, pattern?: RegExp): void {
  try {
    f();
    check(name, false, "no error");
  } catch (e) {
    check(name, e instanceof JcsError && (!pattern || pattern.test(e.message)), String(e));
  }
}

// RFC 8785 section 3.2.3: the sample input and its canonical form.
{
  const input = `{
    "numbers": [333333333.33333329, 1E30, 4.50,
                2e-3, 0.000000000000000000000000001],
    "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
    "literals": [null, true, false]
  }`;
  const want = `{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA'B\\"\\\\\\\\\\"/"}`;
  const got = canon(input);
  check("RFC 8785 sample", got === want, got);
}
// RFC 8785 section 3.2.3: sorting by UTF-16 code units (the emoji's surrogates sort before U+FB33).
{
  const input = `{"\\u20ac": "Euro Sign", "\\r": "Carriage Return", "\\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One", "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",
    "\\u00f6": "Latin Small Letter O With Diaeresis"}`;
  // Read off the canonical text itself: JavaScript lists integer-like names ("1") first.
  const keys = [...canon(input).matchAll(/"([^"]*)":/g)].map((m) => JSON.parse(`"${m[1]}"`) as string);
  const want = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"];
  check("UTF-16 member order", JSON.stringify(keys) === JSON.stringify(want), keys);
}
// RFC 8785 appendix B: numbers, from their IEEE-754 bit patterns.
{
  const cases: [string, string][] = [
    ["0000000000000000", "0"],
    ["8000000000000000", "0"],
    ["0000000000000001", "5e-324"],
    ["8000000000000001", "-5e-324"],
    ["7fefffffffffffff", "1.7976931348623157e+308"],
    ["ffefffffffffffff", "-1.7976931348623157e+308"],
    ["4340000000000000", "9007199254740992"],
    ["c340000000000000", "-9007199254740992"],
    ["4430000000000000", "295147905179352830000"],
    ["44b52d02c7e14af5", "9.999999999999997e+22"],
    ["44b52d02c7e14af6", "1e+23"],
    ["44b52d02c7e14af7", "1.0000000000000001e+23"],
    ["444b1ae4d6e2ef4e", "999999999999999700000"],
    ["444b1ae4d6e2ef4f", "999999999999999900000"],
    ["444b1ae4d6e2ef50", "1e+21"],
    ["3eb0c6f7a0b5ed8c", "9.999999999999997e-7"],
    ["3eb0c6f7a0b5ed8d", "0.000001"],
    ["41b3de4355555553", "333333333.3333332"],
    ["41b3de4355555554", "333333333.33333325"],
    ["41b3de4355555555", "333333333.3333333"],
    ["41b3de4355555556", "333333333.3333334"],
    ["41b3de4355555557", "333333333.33333343"],
    ["becbf647612f3696", "-0.0000033333333333333333"],
    ["43143ff3c1cb0959", "1424953923781206.2"],
  ];
  const view = new DataView(new ArrayBuffer(8));
  for (const [bits, want] of cases) {
    view.setBigUint64(0, BigInt("0x" + bits));
    const got = canonicalize(view.getFloat64(0));
    check(`number ${bits}`, got === want, got);
  }
  refuses("NaN", () => canonicalize(NaN), /not finite/);
  refuses("Infinity", () => canonicalize([1, Infinity]), /\/1/);
  check("integers beyond 2^53 become the nearest double", canon("9007199254740993") === "9007199254740992");
  check("exponent forms", canon("[1E2, 1e-7, -0.0, 100e-2]") === "[100,1e-7,0,1]", canon("[1E2, 1e-7, -0.0, 100e-2]"));
  refuses("too large a number", () => parseStrictJson("1e400"), /too large/);
}
// Strings: short escapes, other controls as lowercase \u00xx, everything else literal.
{
  check("controls", canonicalize("\u0000\u0008\t\n\u000b\f\r\u001f") === '"\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f"');
  check("literal non-ASCII", canonicalize("é€😀\u2028\u007f") === '"é€😀\u2028\u007f"');
  check("slash not escaped", canonicalize("a/b") === '"a/b"');
  refuses("lone high surrogate", () => canonicalize({ a: "x\ud800" }), /\/a/);
  refuses("lone low surrogate", () => canon('["\\udc00"]'), /\/0/);
  refuses("lone surrogate in a member name", () => canonicalize({ "\ud800": 1 }));
}
// Structure: nesting, empty containers, no whitespace, the same as JSON.stringify on sorted input.
{
  check("empty", canon(" { } ") === "{}" && canon("[ ]") === "[]");
  check("nested", canon('{"b":[{"d":1,"c":2}],"a":{}}') === '{"a":{},"b":[{"c":2,"d":1}]}');
  const proto = parseStrictJson('{"__proto__": {"x": 1}, "a": 2}') as Record<string, unknown>;
  check("__proto__ stays a member", Object.keys(proto).join() === "__proto__,a" && canonicalize(proto) === '{"__proto__":{"x":1},"a":2}', canonicalize(proto));
  refuses("undefined has no JSON form", () => canonicalize({ a: undefined }));
  refuses("a Date is not JSON", () => canonicalize({ a: new Date(0) }));
  const deep = "[".repeat(1100) + "]".repeat(1100);
  refuses("too deep", () => parseStrictJson(deep), /deeper/);
  const ok = "[".repeat(500) + "]".repeat(500);
  check("deep enough", canon(ok) === ok);
}
// The strict parser: what JSON.parse accepts and I-JSON does not, and plain syntax errors.
{
  refuses("duplicate member", () => parseStrictJson('{"a":1,"b":{"c":1,"c":2}}'), /\/b\/c appears twice/);
  refuses("trailing comma", () => parseStrictJson("[1,]"));
  refuses("single quotes", () => parseStrictJson("{'a':1}"));
  refuses("leading zero", () => parseStrictJson("01"));
  refuses("raw control in a string", () => parseStrictJson('"a\tb"'));
  refuses("bad escape", () => parseStrictJson('"\\x"'));
  refuses("unclosed", () => parseStrictJson('{"a":1'), /ends too early|expected/);
  refuses("text after the end", () => parseStrictJson("{} {}"), /more after/);
  refuses("line and column", () => parseStrictJson('{\n  "a": tru\n}'), /line 2, column 8/);
  check("BOM skipped", canon("\ufeff[1]") === "[1]");
  const sample = '{"z":[1,2.5,"x\\u00e9"],"a":{"k":null,"j":true},"m":"\\ud83d\\ude00"}';
  check("agrees with JSON.parse", JSON.stringify(parseStrictJson(sample)) === JSON.stringify(JSON.parse(sample)));
}

console.log(`jcs: ${passed} passed, ${failures} failed`);
if (failures > 0) throw new Error(`${failures} jcs test(s) failed`);
