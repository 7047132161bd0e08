import fc from "fast-check";
import { HASH_CHARS, logicalName, logicalNames } from "../../cli/names";

/** What the groups-from-yaml file accepts as `name`. */
const VALID = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

it.each([
  ["sales", "sales"],
  ["front-desk-2", "front-desk-2"],
  ["Front Desk", /^Front-Desk-[0-9a-f]{8}$/],
  ["Zürich Büro", /^Zurich-Buro-[0-9a-f]{8}$/],
  ["话机组一", /^group-[0-9a-f]{8}$/],
  ["-leading dash", /^leading-dash-[0-9a-f]{8}$/],
  ["📞 hotline 4", /^hotline-4-[0-9a-f]{8}$/],
])("%j -> %s", (groupName, expected) => {
  const name = logicalName(groupName);
  if (typeof expected === "string") expect(name).toBe(expected);
  else expect(name).toMatch(expected);
});

it("is valid, and the same for the same group name whatever else the application holds", () => {
  fc.assert(
    fc.property(
      fc.uniqueArray(fc.string({ unit: "grapheme", minLength: 1, maxLength: 32 }), { maxLength: 30 }),
      (groups) => {
        const names = logicalNames(groups);
        for (const groupName of groups) {
          expect(names.get(groupName)).toMatch(VALID);
          // Without a collision, a name depends on its group name alone.
          expect(names.get(groupName)).toBe(logicalName(groupName));
        }
        expect(new Set(names.values()).size).toBe(groups.length);
      },
    ),
  );
});

it("names that read alike stay apart", () => {
  const groups = ["Front Desk", "Front  Desk", "front desk", "Front-Desk", "Front Desk!"];
  const names = logicalNames(groups);
  expect(new Set(names.values()).size).toBe(groups.length);
  expect(names.get("Front-Desk")).toBe("Front-Desk");
});

it("a group literally named like another's derived name keeps its name; the derived one gets a longer hash", () => {
  const derived = logicalName("Front Desk");
  const names = logicalNames(["Front Desk", derived]);
  expect(names.get(derived)).toBe(derived);
  expect(names.get("Front Desk")).toMatch(new RegExp(`^Front-Desk-[0-9a-f]{${HASH_CHARS * 2}}$`));
  expect(names.get("Front Desk")?.startsWith(derived)).toBe(true);
  // The same set in another order gives the same names.
  expect(logicalNames([derived, "Front Desk"])).toEqual(names);
});
