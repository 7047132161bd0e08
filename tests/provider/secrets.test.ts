import {
  containsUnknown,
  isSecret,
  reveal,
  secret,
  SECRET_SIG_KEY,
  SECRET_SIG_VALUE,
  UNKNOWN,
} from "../../provider/secrets";

describe("the RPC secret sentinel", () => {
  it("has the exact shape the engine decodes as a secret", () => {
    expect(JSON.stringify(secret({ a: "b" }))).toBe(
      '{"4dabf18193072939515e22adb298388d":"1b47061264138c4ac30d75fd1eb44270","value":{"a":"b"}}',
    );
    expect([SECRET_SIG_KEY, SECRET_SIG_VALUE]).toEqual([
      "4dabf18193072939515e22adb298388d",
      "1b47061264138c4ac30d75fd1eb44270",
    ]);
  });

  it.each([
    [secret("x"), true],
    [secret(undefined), true],
    [{ [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value: 1 }, true],
    [{ [SECRET_SIG_KEY]: "another signature", value: 1 }, false],
    [{ value: 1 }, false],
    ["x", false],
    [null, false],
    [undefined, false],
    [[secret("x")], false],
  ])("isSecret(%j) = %s", (value, expected) => {
    expect(isSecret(value)).toBe(expected);
  });
});

describe("reveal: liberal in what it accepts", () => {
  it.each([
    ["plain", "plain"],
    [secret("pw"), "pw"],
    [secret(secret("pw")), "pw"],
    [
      [secret("a"), "b"],
      ["a", "b"],
    ],
    [
      { pw: secret("a"), n: 1 },
      { pw: "a", n: 1 },
    ],
    [secret({ deep: [secret({ x: secret(2) })] }), { deep: [{ x: 2 }] }],
    [null, null],
    [undefined, undefined],
    [3, 3],
  ])("%j -> %j", (value, expected) => {
    expect(reveal(value)).toEqual(expected);
  });

  it("does not change what it was given", () => {
    const given = { pw: secret("a") };
    reveal(given);
    expect(isSecret(given.pw)).toBe(true);
  });
});

describe("containsUnknown", () => {
  it.each([
    [UNKNOWN, true],
    [[1, UNKNOWN], true],
    [{ a: { b: [UNKNOWN] } }, true],
    [secret(UNKNOWN), true],
    ["04da6b54", false],
    [[1, "x"], false],
    [{ a: null }, false],
    [null, false],
    [undefined, false],
  ])("%j -> %s", (value, expected) => {
    expect(containsUnknown(value)).toBe(expected);
  });
});
