/**
 * Request body intake (shared/contract/body.ts) at unit level: the bounded reader (declared and
 * streamed sizes, stream failures, the lock released), the JSON reader (empty bodies, media types,
 * UTF-8, nesting depth, syntax errors) and the depth scanner. The HTTP-level behaviour is in the
 * edge/conventions integration suites; these pin the exact codes, messages, targets and boundaries.
 */
import { ReadableStream } from 'node:stream/web';
import { ApiError, ErrorCode } from '../../shared/contract/errors';
import { MAX_JSON_DEPTH, jsonDepthExceeds, readBoundedBody, readJsonBody, type BodyOptions } from '../../shared/contract/body';
import { rejectedApiError, thrownApiError } from '../support/apiErrors';

const JSON_ONLY: BodyOptions = { contentTypes: ['application/json'], maxBytes: 1000, required: true };

/** A stream of the given chunks; `cancelled` records a cancellation from the reader. */
function streamOf(chunks: Uint8Array[], end: 'close' | { error: unknown } = 'close') {
  const state = { cancelled: false, pulls: 0 };
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      const chunk = chunks[i++];
      if (chunk !== undefined) controller.enqueue(chunk);
      else if (end === 'close') controller.close();
      else controller.error(end.error);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

const bytes = (text: string) => new TextEncoder().encode(text);


function expectError(err: ApiError, status: number, code: string, message: string, target: string | undefined): void {
  expect({ status: err.status, code: err.code, message: err.message, target: err.target }).toEqual({ status, code, message, target });
}

describe('jsonDepthExceeds', () => {
  it.each([
    ['[[', 1, true],
    ['[[', 2, false],
    ['{{', 1, true],
    ['{{', 2, false],
    ['{"a":{"b":1}}', 1, true],
    ['{"a":{"b":1}}', 2, false],
    ['[][][]', 1, false],
    ['{}{}{}', 1, false],
    ['[{}]', 1, true],
    ['', 0, false],
    ['1', 0, false],
    ['[', 0, true],
  ])('%j with limit %d → %s', (text, limit, expected) => {
    expect(jsonDepthExceeds(text, limit)).toBe(expected);
  });

  it('ignores brackets inside strings, including after escaped quotes and backslashes', () => {
    expect(jsonDepthExceeds('"[[[{{{"', 0)).toBe(false);
    expect(jsonDepthExceeds('["\\"[[[{{{"]', 1)).toBe(false);
    expect(jsonDepthExceeds('["\\\\"]', 1)).toBe(false);
    // After an escaped backslash the quote closes the string, so the bracket after it counts.
    expect(jsonDepthExceeds('["\\\\",[]]', 1)).toBe(true);
  });

  it('counts brackets again once a string has closed', () => {
    expect(jsonDepthExceeds('"x"[', 0)).toBe(true);
    expect(jsonDepthExceeds('"x"{', 0)).toBe(true);
    expect(jsonDepthExceeds('["a"]["b"]', 1)).toBe(false);
  });

  it('closing brackets lower the depth: siblings do not add up', () => {
    expect(jsonDepthExceeds('[[]][[]]', 2)).toBe(false);
    expect(jsonDepthExceeds('{"a":[],"b":{},"c":[[]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('[[]][[[]]]', 2)).toBe(true);
  });
});

describe('readBoundedBody', () => {
  it('absent stream → empty buffer (after the declared length is checked)', async () => {
    const body = await readBoundedBody(null, null, 10);
    expect(Buffer.isBuffer(body)).toBe(true);
    expect(body.length).toBe(0);
    expect((await readBoundedBody(null, '5', 10)).length).toBe(0);
  });

  it('reads every chunk, keeping each view\'s own bytes, and releases the lock', async () => {
    const backing = bytes('xxabcdefyy');
    const { stream } = streamOf([backing.subarray(2, 5), backing.subarray(5, 8)]);
    const body = await readBoundedBody(stream, null, 6);
    expect(body.toString('utf8')).toBe('abcdef');
    expect(body.length).toBe(6);
    expect(stream.locked).toBe(false);
  });

  it('accepts a declared length equal to the limit and a streamed body of exactly the limit', async () => {
    const { stream } = streamOf([bytes('12345')]);
    expect((await readBoundedBody(stream, '5', 5)).toString()).toBe('12345');
  });

  it.each([
    ['5', 5],
    [' 7 ', 7],
    ['0000000000000005', 5],
    ['0', 0],
  ])('accepts the declared Content-Length %j', async (header, _value) => {
    const { stream } = streamOf([bytes('ab')]);
    expect((await readBoundedBody(stream, header, 10)).toString()).toBe('ab');
  });

  it.each(['', '  ', 'abc', '-5', '1e3', '5x', 'x5', '1.5', '00000000000000005', '0x10', '+5'])(
    'refuses the Content-Length %j before reading',
    async (header) => {
      const { stream, state } = streamOf([bytes('ab')]);
      const err = await rejectedApiError(readBoundedBody(stream, header, 10_000));
      expectError(err, 400, ErrorCode.InvalidHeader, 'Content-Length must be a number of bytes.', 'Content-Length');
      expect(state.pulls).toBeLessThanOrEqual(1);
      expect(stream.locked).toBe(false);
    },
  );

  it('refuses a declared length over the limit with the declared size in the message', async () => {
    const { stream } = streamOf([bytes('ab')]);
    const err = await rejectedApiError(readBoundedBody(stream, '11', 10));
    expectError(err, 400, ErrorCode.RequestBodyTooLarge, 'The request body is 11 bytes; the limit is 10 bytes.', 'body');
    expect(stream.locked).toBe(false);
  });

  it('abandons a streamed body once it passes the limit, cancelling the stream and releasing the lock', async () => {
    const { stream, state } = streamOf([bytes('abc'), bytes('def'), bytes('g'), bytes('h')]);
    const err = await rejectedApiError(readBoundedBody(stream, null, 6));
    expectError(err, 400, ErrorCode.RequestBodyTooLarge, 'The request body is over 6 bytes; the limit is 6 bytes.', 'body');
    expect(state.cancelled).toBe(true);
    expect(stream.locked).toBe(false);
  });

  it('a broken upload is InvalidRequestContent', async () => {
    const { stream } = streamOf([bytes('abc')], { error: new Error('socket hang up') });
    const err = await rejectedApiError(readBoundedBody(stream, null, 100));
    expectError(err, 400, ErrorCode.InvalidRequestContent, 'The request body could not be read completely.', 'body');
    expect(stream.locked).toBe(false);
  });

  it.each([
    ['null', null],
    ['a string', 'RequestBodyTooLarge'],
    ['a function carrying the code', Object.assign(() => undefined, { code: ErrorCode.RequestBodyTooLarge })],
    ['an object with another code', { code: 'ECONNRESET' }],
  ])('a stream failing with %s is InvalidRequestContent', async (_name, reason) => {
    const { stream } = streamOf([], { error: reason });
    const err = await rejectedApiError(readBoundedBody(stream, null, 100));
    expectError(err, 400, ErrorCode.InvalidRequestContent, 'The request body could not be read completely.', 'body');
  });

  it('a stream failing with the host cap\'s code is RequestBodyTooLarge, with the failure\'s message when it has one', async () => {
    const withMessage = Object.assign(new Error('The host refused a body over 1 MiB.'), { code: ErrorCode.RequestBodyTooLarge });
    const a = await rejectedApiError(readBoundedBody(streamOf([bytes('a')], { error: withMessage }).stream, null, 100));
    expectError(a, 400, ErrorCode.RequestBodyTooLarge, 'The host refused a body over 1 MiB.', 'body');
    const b = await rejectedApiError(readBoundedBody(streamOf([], { error: { code: ErrorCode.RequestBodyTooLarge } }).stream, null, 100));
    expectError(b, 400, ErrorCode.RequestBodyTooLarge, 'The request body is too large.', 'body');
  });

  it('an ApiError from the stream passes through unchanged', async () => {
    const original = new ApiError(413, ErrorCode.InvalidHeader, 'from upstream', { target: 'x' });
    const err = await rejectedApiError(readBoundedBody(streamOf([], { error: original }).stream, null, 100));
    expect(err).toBe(original);
  });
});

describe('readJsonBody', () => {
  const parse = (text: string, contentType: string | null = 'application/json', options: BodyOptions = JSON_ONLY) =>
    readJsonBody(Buffer.from(text, 'utf8'), contentType, options);

  it('parses JSON for an accepted media type, whatever its case, parameters or surrounding spaces', () => {
    expect(parse('{"a":[1,"x"]}')).toEqual({ a: [1, 'x'] });
    expect(parse('1', 'Application/JSON; charset=utf-8')).toBe(1);
    expect(parse('"s"', '  application/json  ;x=y')).toBe('s');
    expect(parse('true', 'application/merge-patch+json', { ...JSON_ONLY, contentTypes: ['application/json', 'application/merge-patch+json'] })).toBe(true);
    expect(parse('  [ ]  ')).toEqual([]);
  });

  it('refuses a body over maxBytes (a body of exactly maxBytes is read)', () => {
    expect(parse('[1]', 'application/json', { ...JSON_ONLY, maxBytes: 3 })).toEqual([1]);
    const err = thrownApiError(() => parse('[12]', 'application/json', { ...JSON_ONLY, maxBytes: 3 }));
    expectError(err, 400, ErrorCode.RequestBodyTooLarge, 'The request body is 4 bytes; the limit is 3 bytes.', undefined);
  });

  it.each(['', '   ', '\n\t \r\n'])('an empty or blank body (%j) is undefined when optional, whatever the content type', (text) => {
    expect(parse(text, null, { ...JSON_ONLY, required: false })).toBeUndefined();
    expect(parse(text, 'text/plain', { ...JSON_ONLY, required: false })).toBeUndefined();
  });

  it.each(['', '  \n'])('an empty or blank body (%j) is refused when required', (text) => {
    const err = thrownApiError(() => parse(text, 'application/json'));
    expectError(err, 400, ErrorCode.InvalidRequestContent, 'A JSON request body is required.', 'body');
  });

  it('a non-blank optional body is still read', () => {
    expect(parse(' 2 ', 'application/json', { ...JSON_ONLY, required: false })).toBe(2);
  });

  it.each([
    [null, "Content-Type '' is not supported; use application/json."],
    ['', "Content-Type '' is not supported; use application/json."],
    [' ; charset=utf-8', "Content-Type ' ; charset=utf-8' is not supported; use application/json."],
    ['text/plain', "Content-Type 'text/plain' is not supported; use application/json."],
    ['application/json-seq', "Content-Type 'application/json-seq' is not supported; use application/json."],
    ['application', "Content-Type 'application' is not supported; use application/json."],
  ])('refuses the Content-Type %j', (contentType, message) => {
    const err = thrownApiError(() => parse('{}', contentType));
    expectError(err, 400, ErrorCode.UnsupportedMediaType, message, 'Content-Type');
  });

  it('names every accepted type and cuts a long Content-Type at 100 characters', () => {
    const long = `x/${'y'.repeat(200)}`;
    const err = thrownApiError(() => parse('{}', long, { ...JSON_ONLY, contentTypes: ['application/json', 'application/merge-patch+json'] }));
    expectError(err, 400, ErrorCode.UnsupportedMediaType, `Content-Type '${long.slice(0, 100)}' is not supported; use application/json or application/merge-patch+json.`, 'Content-Type');
  });

  it('refuses bytes that are not UTF-8, even inside a JSON string', () => {
    const body = Buffer.concat([Buffer.from('"a'), Buffer.from([0xff]), Buffer.from('"')]);
    const err = thrownApiError(() => readJsonBody(body, 'application/json', JSON_ONLY));
    expectError(err, 400, ErrorCode.InvalidRequestContent, 'The request body is not valid UTF-8.', 'body');
    expect(readJsonBody(Buffer.from('"é€"'), 'application/json', JSON_ONLY)).toBe('é€');
  });

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting and refuses one more`, () => {
    expect(MAX_JSON_DEPTH).toBe(32);
    const nested = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parse(nested(32))).toHaveLength(1);
    const err = thrownApiError(() => parse(nested(33)));
    expectError(err, 400, ErrorCode.InvalidRequestContent, 'The JSON body is nested deeper than 32 levels.', 'body');
  });

  describe('when the parser fails otherwise than V8 does', () => {
    afterEach(() => jest.restoreAllMocks());

    it('cuts a long reason at 200 characters', () => {
      jest.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new SyntaxError('r'.repeat(300));
      });
      const err = thrownApiError(() => parse('{}'));
      expect(err.message).toBe(`The request body is not valid JSON: ${'r'.repeat(200)}`);
    });

    it('a failure that is not an Error reads "syntax error"', () => {
      jest.spyOn(JSON, 'parse').mockImplementation(() => {
        throw 'not an Error';
      });
      const err = thrownApiError(() => parse('{}'));
      expectError(err, 400, ErrorCode.InvalidRequestContent, 'The request body is not valid JSON: syntax error', 'body');
    });
  });

  it.each(['{', '{"a":1,}', 'nope', '[1] x', "{'a':1}"])('refuses the syntax error %j with the parser\'s reason', (text) => {
    let reason = '';
    try {
      JSON.parse(text);
    } catch (e) {
      reason = (e as Error).message;
    }
    expect(reason).not.toBe('');
    const err = thrownApiError(() => parse(text));
    expectError(err, 400, ErrorCode.InvalidRequestContent, `The request body is not valid JSON: ${reason}`, 'body');
  });
});
