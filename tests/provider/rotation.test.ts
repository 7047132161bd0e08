/**
 * Scheduled rotation without the platform: `rotateAfter` in check, and the
 * boundary of "due" in diff, on an injected clock. Due means
 * now ≥ passwordsSetAt + rotateAfter: one second before is not due, the instant
 * itself is, and so is every instant after.
 */
import fc from "fast-check";
import { checkGroup, checkPassword } from "../../provider/check";
import { setClock } from "../../provider/clock";
import { diffGroup, diffPassword } from "../../provider/diff";
import { sipPhoneGroupProvider, sipPhonePasswordProvider } from "../../provider";
import { MAX_FUTURE_SKEW_SECONDS, rotationDue } from "../../provider/rotation";
import { secret, UNKNOWN } from "../../provider/secrets";

const SET = "2026-01-01T00:00:00.000Z";
const DAY = 86_400;
/** `SET` plus `seconds`. */
const after = (seconds: number): Date => new Date(Date.parse(SET) + seconds * 1000);

const inputs = {
  appId: "app1",
  groupName: "grp-one",
  phoneName: "phone-one",
  quantity: 2,
  displayNum: "8610000000",
  namePrefix: "office",
  __provider: "provider text",
};
/** The group's state as the engine sends it to diff, its passwords set at SET. */
const state = {
  ...inputs,
  accounts: ["phone-one_001", "phone-one_002"],
  passwords: { "phone-one_001": "a", "phone-one_002": "b" },
  passwordsSetAt: SET,
};
const pwInputs = { appId: "app1", account: "phone-one_001", __provider: "t" };
const pwState = { ...pwInputs, password: "pw", passwordSetAt: SET };

const none = { changes: false, replaces: [], deleteBeforeReplace: false };
const update = { changes: true, replaces: [], deleteBeforeReplace: false };

describe("check: rotateAfter", () => {
  const group = { appId: "app1", quantity: 2, displayNum: "8610000000", namePrefix: "office" };
  const password = { appId: "app1", account: "phone-one_001" };

  it.each(["1s", "59m", "12h", "90d", "2160h", "3650d", secret("90d"), UNKNOWN, null])(
    "%j passes, on both resources (unknown in a preview: not judged)",
    (rotateAfter) => {
      expect(checkGroup({}, { ...group, rotateAfter }).failures).toEqual([]);
      expect(checkPassword({}, { ...password, rotateAfter }).failures).toEqual([]);
    },
  );

  it.each<[unknown, RegExp]>([
    ["0s", /^rotateAfter must be between 1s and 3650d$/],
    ["3651d", /^rotateAfter must be between 1s and 3650d$/],
    ["87601h", /^rotateAfter must be between 1s and 3650d$/],
    ["90", /^rotateAfter needs a unit: a whole number followed by a unit: s, m, h or d/],
    ["90D", /^rotateAfter must use a lower-case unit/],
    ["1.5d", /^rotateAfter must be a whole number of units/],
    ["90 d", /^rotateAfter must be a whole number followed by a unit/],
    ["", /^rotateAfter must be a whole number followed by a unit/],
    [90, /^rotateAfter must be a string/],
    [secret("1w"), /^rotateAfter must be a whole number followed by a unit/],
  ])("%j fails on rotateAfter, naming the rule", (rotateAfter, reason) => {
    for (const { failures } of [
      checkGroup({}, { ...group, rotateAfter }),
      checkPassword({}, { ...password, rotateAfter }),
    ]) {
      expect(failures).toEqual([{ property: "rotateAfter", reason: expect.stringMatching(reason) }]);
    }
  });

  it("never quotes the value (it may have come from a secret)", () => {
    const { failures } = checkGroup({}, { ...group, rotateAfter: secret("31337 days") });
    expect(JSON.stringify(failures)).not.toContain("31337");
  });

  it("keeps rotateAfter in the checked inputs", () => {
    expect(checkGroup({}, { ...group, rotateAfter: "90d" }).inputs["rotateAfter"]).toBe("90d");
    expect(checkPassword({}, { ...password, rotateAfter: "7d" }).inputs["rotateAfter"]).toBe("7d");
  });
});

describe("diff: the boundary of due", () => {
  // [rotateAfter, seconds after SET, due?]
  const table: Array<[string, number, boolean]> = [
    ["90d", 90 * DAY - 1, false],
    ["90d", 90 * DAY, true],
    ["90d", 90 * DAY + 1, true],
    ["2s", 1, false],
    ["2s", 2, true],
    ["2s", 3, true],
    ["1s", 0, false],
    ["1s", 1, true],
    ["12h", 12 * 3600 - 1, false],
    ["12h", 12 * 3600, true],
    ["3650d", 3650 * DAY - 1, false],
    ["3650d", 3650 * DAY, true],
  ];

  it.each(table)("SipPhoneGroup rotateAfter %s, %i s after passwordsSetAt: due=%s", (rotateAfter, s, due) => {
    const result = diffGroup({ ...state, rotateAfter }, { ...inputs, rotateAfter }, after(s));
    expect(result).toEqual(due ? update : none);
  });

  it.each(table)(
    "SipPhonePassword rotateAfter %s, %i s after passwordSetAt: due=%s",
    (rotateAfter, s, due) => {
      const result = diffPassword({ ...pwState, rotateAfter }, { ...pwInputs, rotateAfter }, after(s));
      expect(result).toEqual(due ? update : none);
    },
  );

  it("for any period and any moment: due exactly when the period is over (or the clock is over 1 h behind)", () => {
    const unit = { s: 1, m: 60, h: 3600, d: DAY } as const;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3650 }),
        fc.constantFrom("s", "m", "h", "d" as const),
        fc.integer({ min: -DAY * 1000, max: 3651 * DAY * 1000 }),
        (amount, u, offsetMs) => {
          const seconds = amount * unit[u];
          const now = new Date(Date.parse(SET) + offsetMs);
          const due = rotationDue(`${amount}${u}`, SET, now);
          const distrusted = -offsetMs > MAX_FUTURE_SKEW_SECONDS * 1000;
          expect(due !== undefined).toBe(offsetMs >= seconds * 1000 || distrusted);
        },
      ),
    );
  });

  it("the instant one millisecond before is not due", () => {
    const at = new Date(Date.parse(SET) + 90 * DAY * 1000 - 1);
    expect(rotationDue("90d", SET, at)).toBeUndefined();
    expect(rotationDue("90d", SET, new Date(at.getTime() + 1))).toEqual({
      since: "2026-04-01T00:00:00.000Z",
      reason: "rotation due since 2026-04-01T00:00:00.000Z (passwords set 2026-01-01T00:00:00.000Z)",
    });
  });

  it("without rotateAfter nothing is ever due, however old the passwords", () => {
    expect(diffGroup(state, inputs, after(3650 * DAY * 2))).toEqual(none);
    expect(diffGroup({ ...state, passwordsSetAt: undefined }, inputs, after(0))).toEqual(none);
    expect(diffPassword(pwState, pwInputs, after(3650 * DAY * 2))).toEqual(none);
  });

  it("a due rotation is an update, never a replacement; with a replacement it is one replacement", () => {
    const olds = { ...state, rotateAfter: "1d" };
    expect(diffGroup(olds, { ...inputs, rotateAfter: "1d" }, after(2 * DAY)).replaces).toEqual([]);
    expect(diffGroup(olds, { ...inputs, rotateAfter: "1d", quantity: 3 }, after(2 * DAY))).toEqual({
      changes: true,
      replaces: ["quantity"],
      deleteBeforeReplace: false,
    });
  });

  it("a trigger change and a due rotation: one update", () => {
    const olds = { ...state, rotateAfter: "1d" };
    expect(diffGroup(olds, { ...inputs, rotateAfter: "1d", resetTriggers: [1] }, after(2 * DAY))).toEqual(
      update,
    );
  });

  it("reads the state's times and the NEW rotateAfter, with secrets on either side", () => {
    const olds = { ...state, rotateAfter: "90d", passwordsSetAt: secret(SET) };
    expect(diffGroup(olds, { ...inputs, rotateAfter: secret("90d") }, after(90 * DAY))).toEqual(update);
    expect(diffGroup(olds, { ...inputs, rotateAfter: secret("90d") }, after(90 * DAY - 1))).toEqual(none);
  });
});

describe("diff: a change of rotateAfter", () => {
  it.each<[string, unknown, unknown]>([
    ["set for the first time", undefined, "90d"],
    ["shortened, not due yet", "90d", "30d"],
    ["lengthened", "30d", "90d"],
    ["written another way", "1d", "24h"],
    ["removed", "90d", undefined],
    ["unknown in a preview", "90d", UNKNOWN],
  ])("%s: an update (the state must record it)", (_what, before, next) => {
    const olds = before === undefined ? state : { ...state, rotateAfter: before };
    const news = next === undefined ? inputs : { ...inputs, rotateAfter: next };
    expect(diffGroup(olds, news, after(1))).toEqual(update);
    const pwOlds = before === undefined ? pwState : { ...pwState, rotateAfter: before };
    const pwNews = next === undefined ? pwInputs : { ...pwInputs, rotateAfter: next };
    expect(diffPassword(pwOlds, pwNews, after(1))).toEqual(update);
  });

  it("the same rotateAfter, not due: no changes", () => {
    expect(diffGroup({ ...state, rotateAfter: "90d" }, { ...inputs, rotateAfter: "90d" }, after(1))).toEqual(
      none,
    );
  });
});

describe("states written before passwordsSetAt existed", () => {
  const legacy = { ...state, passwordsSetAt: undefined };

  it("a group never rotated (no lastResetAt): due at once, since its passwords' age is unknown", () => {
    expect(diffGroup({ ...legacy, rotateAfter: "90d" }, { ...inputs, rotateAfter: "90d" }, after(0))).toEqual(
      update,
    );
    expect(rotationDue("90d", undefined, after(0))?.reason).toMatch(
      /does not record when the passwords were set/,
    );
  });

  it("a group rotated before: counts from lastResetAt (the last completed rotation)", () => {
    const olds = { ...legacy, rotateAfter: "90d", lastResetAt: SET };
    expect(diffGroup(olds, { ...inputs, rotateAfter: "90d" }, after(90 * DAY - 1))).toEqual(none);
    expect(diffGroup(olds, { ...inputs, rotateAfter: "90d" }, after(90 * DAY))).toEqual(update);
  });

  it("passwordsSetAt wins over lastResetAt (an adoption or create after the last rotation)", () => {
    const olds = { ...state, rotateAfter: "90d", lastResetAt: "2020-01-01T00:00:00.000Z" };
    expect(diffGroup(olds, { ...inputs, rotateAfter: "90d" }, after(1))).toEqual(none);
  });

  it("a SipPhonePassword without passwordSetAt: due at once", () => {
    const olds = { ...pwInputs, password: "pw", rotateAfter: "30d" };
    expect(diffPassword(olds, { ...pwInputs, rotateAfter: "30d" }, after(0))).toEqual(update);
  });

  it("an unreadable time counts as unknown: due", () => {
    expect(rotationDue("90d", "last tuesday", after(0))?.since).toBeUndefined();
    expect(rotationDue("90d", 12345, after(0))?.reason).toMatch(/does not record/);
  });
});

describe("clock skew", () => {
  it(`a passwordsSetAt up to ${MAX_FUTURE_SKEW_SECONDS} s ahead of the clock is believed; further ahead counts as unknown (due)`, () => {
    const now = after(0);
    const ahead = (s: number) => new Date(now.getTime() + s * 1000).toISOString();
    expect(rotationDue("90d", ahead(MAX_FUTURE_SKEW_SECONDS), now)).toBeUndefined();
    const due = rotationDue("90d", ahead(MAX_FUTURE_SKEW_SECONDS + 1), now);
    expect(due?.since).toBeUndefined();
    expect(due?.reason).toBe(
      "rotation due: the passwords are recorded as set at 2026-01-01T01:00:01.000Z, more than 1h ahead of " +
        "this machine's clock (2026-01-01T00:00:00.000Z), so their age is unknown",
    );
  });
});

describe("the providers' diff on the injected clock", () => {
  afterEach(() => setClock(undefined));

  it("reads the injected clock and says why when a rotation is due; silent otherwise", async () => {
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      setClock(() => after(90 * DAY - 1));
      const olds = { ...state, rotateAfter: "90d" };
      const news = { ...inputs, rotateAfter: "90d" };
      expect(await sipPhoneGroupProvider.diff("app1/grp-one", olds, news)).toEqual(none);
      expect(log).not.toHaveBeenCalled();
      setClock(() => after(90 * DAY));
      expect(await sipPhoneGroupProvider.diff("app1/grp-one", olds, news)).toEqual(update);
      expect(log.mock.calls.map((c) => String(c[0]))).toEqual([
        "SipPhoneGroup app1/grp-one: rotation due since 2026-04-01T00:00:00.000Z (passwords set " +
          "2026-01-01T00:00:00.000Z); `pulumi up` resets every password",
      ]);
      log.mockClear();
      const pw = await sipPhonePasswordProvider.diff(
        "app1/phone-one_001",
        { ...pwState, rotateAfter: "90d" },
        { ...pwInputs, rotateAfter: "90d" },
      );
      expect(pw).toEqual(update);
      expect(String(log.mock.calls[0]?.[0])).toMatch(
        /^SipPhonePassword app1\/phone-one_001: rotation due since 2026-04-01T00:00:00.000Z .*`pulumi up` resets the password$/,
      );
      log.mockClear();
      // A replacement sets new passwords anyway: no notice.
      await sipPhoneGroupProvider.diff("app1/grp-one", olds, { ...news, quantity: 3 });
      expect(log).not.toHaveBeenCalled();
    } finally {
      log.mockRestore();
    }
  });
});
