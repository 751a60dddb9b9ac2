/** Test helper: the ApiError `fn` throws (any other error is rethrown; no throw fails the test). */
import { ApiError } from '../../shared/contract/errors';

export function thrownApiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError to be thrown');
}

/** The ApiError `promise` rejects with (any other error is rethrown; fulfilling fails the test). */
export async function rejectedApiError(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error('expected an ApiError rejection');
}
