import { adoptionMismatches, describeMismatch } from "../../provider/adoption";
import { clientFor, MAX_CLIENTS, readSettings, resetConfiguration } from "../../provider/config";
import { platformGroups } from "../../provider/fleet";
import type { PhoneRecord } from "../../protocol/types";

const phone = (groupName: string, account: string, extra: Partial<PhoneRecord> = {}): PhoneRecord => ({
  groupName,
  phoneName: "desk",
  account,
  password: `pw-${account}`,
  displayNum: "8610000000",
  ...extra,
});

describe("platformGroups: an application's phones as groups", () => {
  it("groups by name in code-point order, accounts sorted, a phone a page boundary repeated counted once", () => {
    const groups = platformGroups([
      phone("b", "desk_002"),
      phone("话机", "hua_001", { phoneName: "hua" }),
      phone("B", "big_001", { phoneName: "big" }),
      phone("b", "desk_001"),
      phone("b", "desk_002"),
    ]);
    expect(groups.map((g) => [g.groupName, g.quantity, g.accounts])).toEqual([
      ["B", 1, ["big_001"]],
      ["b", 2, ["desk_001", "desk_002"]],
      ["话机", 1, ["hua_001"]],
    ]);
    expect(groups[1]).toMatchObject({ phoneName: "desk", displayNum: "8610000000" });
  });
});

describe("the adoption rule, shared by the provider's create and `itniotech export`", () => {
  const records = [
    phone("g", "a_001"),
    phone("g", "a_002", { phoneName: "other", displayNum: "8620000000" }),
  ];

  it("matches only when every phone has the declared phone name and caller ID, and the count agrees", () => {
    expect(
      adoptionMismatches({ phoneName: "desk", quantity: 1, displayNum: "8610000000" }, [phone("g", "x")]),
    ).toEqual([]);
    expect(adoptionMismatches({ phoneName: "desk", quantity: 3, displayNum: "8610000000" }, records)).toEqual(
      [
        { property: "phoneName", platform: ["desk", "other"], declared: "desk" },
        { property: "quantity", platform: 2, declared: 3 },
        { property: "displayNum", platform: ["8610000000", "8620000000"], declared: "8610000000" },
      ],
    );
  });

  it("reads, in the provider's error, as platform against program", () => {
    expect(
      adoptionMismatches({ phoneName: "desk", quantity: 3, displayNum: "8610000000" }, records).map(
        describeMismatch,
      ),
    ).toEqual([
      "phoneName is 'desk', 'other' on the platform but 'desk' in the program",
      "quantity is 2 on the platform but 3 in the program",
      "displayNum is '8610000000', '8620000000' on the platform but '8610000000' in the program",
    ]);
  });
});

describe("clientFor: one client per distinct settings", () => {
  afterEach(resetConfiguration);
  const settings = (apiKey: string) =>
    readSettings(() => undefined, { ITNIOTECH_API_KEY: apiKey, ITNIOTECH_API_SECRET: "s" });

  it("reuses a client for the same settings, whoever asks (provider, lookups, command line)", () => {
    expect(clientFor(settings("a"))).toBe(clientFor(settings("a")));
    expect(clientFor(settings("a"))).not.toBe(clientFor(settings("b")));
  });

  it(`keeps at most ${MAX_CLIENTS}, dropping the least recently used`, () => {
    const clients = Array.from({ length: MAX_CLIENTS }, (_, i) => clientFor(settings(`key-${i}`)));
    expect(clientFor(settings("key-0"))).toBe(clients[0]); // used again: now the most recent
    clientFor(settings("one-too-many")); // drops key-1, the least recently used
    expect(clientFor(settings("key-0"))).toBe(clients[0]);
    expect(clientFor(settings("key-2"))).toBe(clients[2]);
    expect(clientFor(settings("key-1"))).not.toBe(clients[1]);
  });

  it("a configuration problem is an error naming the setting", () => {
    expect(() => clientFor(readSettings(() => undefined, { ITNIOTECH_CONCURRENCY: "0" }))).toThrow(
      /itniotech:concurrency/,
    );
  });
});
