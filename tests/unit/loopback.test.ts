import { isLoopback, normaliseAddress } from "../../emulator/auth";

// The operator endpoints (/_emulator/…) answer loopback callers only; a test cannot
// open a non-loopback connection on this machine, so the decision is tested here.
describe("operator endpoints: who counts as loopback", () => {
  it.each([
    ["127.0.0.1", true],
    ["127.8.9.10", true],
    ["::1", true],
    ["::ffff:127.0.0.1", true],
    ["10.0.0.1", false],
    ["192.168.1.5", false],
    ["::ffff:10.0.0.1", false],
    ["2001:db8::1", false],
    ["", false],
  ])("%s -> %s", (address, loopback) => {
    expect(isLoopback(normaliseAddress(address))).toBe(loopback);
  });
});
