import { sign, signedHeaders, unixSeconds } from "../../protocol/signing";

// Vectors computed outside the implementation with
//   printf '%s' "$key$secret$timestamp" | openssl md5 -r
describe("sign", () => {
  it.each([
    ["bDqJFiq9", "s3cr3t-Secret", "1630468800", "b5151d876cbbf258d63009bca42f926c"],
    ["key", "secret", "0000000000", "8655fdbad7b24bb9dd90097fa9eae815"],
    ["Ключ", "秘密", "1700000000", "c00e36ecd5e2c4d64d59ae3862d667f0"],
    ["a", "b", "1234567890", "45e495a4e5e3652991fc84db73efeb42"],
  ])("md5(%s + %s + %s) = %s", (key, secret, timestamp, expected) => {
    expect(sign(key, secret, timestamp)).toBe(expected);
  });

  it("builds the three headers for one attempt", () => {
    expect(signedHeaders("a", "b", "1234567890")).toEqual({
      "Api-Key": "a",
      Timestamp: "1234567890",
      Sign: "45e495a4e5e3652991fc84db73efeb42",
    });
  });

  it("uses whole seconds", () => {
    expect(unixSeconds(1_630_468_800_999)).toBe("1630468800");
  });
});
