import { configLookup } from "../helpers/config";
import {
  apiClient,
  configure,
  currentSettings,
  readSettings,
  resetConfiguration,
} from "../../provider/config";

const config = configLookup;

describe("provider configuration", () => {
  afterEach(() => resetConfiguration());

  it("stack config wins over the environment; the environment fills the gaps", () => {
    const { settings, problem } = readSettings((key) => ({ "itniotech:apiKey": "from-config" })[key], {
      ITNIOTECH_API_KEY: "from-env",
      ITNIOTECH_API_SECRET: "env-secret",
      ITNIOTECH_CONCURRENCY: "4",
    });
    expect(problem).toBeUndefined();
    expect(settings).toEqual({
      apiKey: "from-config",
      apiSecret: "env-secret",
      baseUrl: "https://api.itniotech.com/voice",
      concurrency: 4,
      requestsPerSecond: undefined,
      allowInsecureHttp: false,
      timeoutMs: undefined,
    });
  });

  it.each([
    ["10", 10],
    ["0.5", 0.5],
    ["1000", 1000],
    ["0.01", 0.01],
  ])("requestsPerSecond %j paces the client to %j requests a second", (value, pace) => {
    const { settings, problem } = readSettings(() => undefined, { ITNIOTECH_REQUESTS_PER_SECOND: value });
    expect(problem).toBeUndefined();
    expect(settings.requestsPerSecond).toBe(pace);
  });

  // 0.0000001: a gap of 10^10 ms, past what a Node.js timer waits (it then waits 1 ms).
  it.each(["0", "-1", "1001", "Infinity", "fast", "0.0000001", "0.009"])(
    "requestsPerSecond %j is a problem that names the key, the variable and the rule",
    (value) => {
      const { problem } = readSettings((key) => (key === "itniotech:requestsPerSecond" ? value : undefined));
      expect(problem).toBe(
        `'itniotech:requestsPerSecond' (or ITNIOTECH_REQUESTS_PER_SECOND) must be a number at least 0.01 (one request every 100 s) and at most 1000 ` +
          `(requests a second, e.g. 10 or 0.5); got '${value}'.`,
      );
    },
  );

  it.each(["0", "257", "2.5", "many"])("concurrency %j is a problem reported later, not a throw", (value) => {
    const { problem } = readSettings(() => undefined, { ITNIOTECH_CONCURRENCY: value });
    expect(problem).toMatch(/itniotech:concurrency.*ITNIOTECH_CONCURRENCY.*1 to 256/);
  });

  it.each(["99", "600001", "soon"])("timeoutMs %j is a problem naming the key", (value) => {
    const { problem } = readSettings(() => undefined, { ITNIOTECH_TIMEOUT_MS: value });
    expect(problem).toMatch(/itniotech:timeoutMs.*ITNIOTECH_TIMEOUT_MS.*100 to 600000/);
  });

  it("configure never throws; the first operation names what to set", async () => {
    const broken = {
      get: () => {
        throw new Error("boom");
      },
      require: () => "",
    };
    await expect(configure({ config: broken })).resolves.toBeUndefined();
    expect(() => apiClient()).toThrow(/could not read the stack configuration: boom/);

    await configure({ config: config({ "itniotech:apiSecret": "s" }) });
    const saved = process.env["ITNIOTECH_API_KEY"];
    delete process.env["ITNIOTECH_API_KEY"];
    try {
      expect(() => apiClient()).toThrow(/'itniotech:apiKey'.*ITNIOTECH_API_KEY/);
    } finally {
      if (saved !== undefined) process.env["ITNIOTECH_API_KEY"] = saved;
    }
  });

  it("builds one client per distinct configuration", async () => {
    await configure({
      config: config({
        "itniotech:apiKey": "k",
        "itniotech:apiSecret": "s",
        "itniotech:baseUrl": "http://127.0.0.1:1/voice",
      }),
    });
    const first = apiClient();
    expect(apiClient()).toBe(first);
    expect(first.baseUrl).toBe("http://127.0.0.1:1/voice");
    expect(currentSettings().concurrency).toBe(16);
    await configure({
      config: config({
        "itniotech:apiKey": "k2",
        "itniotech:apiSecret": "s",
        "itniotech:baseUrl": "http://127.0.0.1:1/voice",
      }),
    });
    expect(apiClient()).not.toBe(first);
  });
});
