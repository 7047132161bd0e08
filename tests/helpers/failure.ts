import { VoiceApiError } from "../../provider/client";

/** The VoiceApiError a call fails with; fails the test if the call succeeds or throws anything else. */
export async function apiFailure(promise: Promise<unknown>): Promise<VoiceApiError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to fail");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(VoiceApiError);
  return error as VoiceApiError;
}
