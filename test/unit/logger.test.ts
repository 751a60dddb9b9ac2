import { errorText, logContext, logEvent, outsideLogContext, withInvocationLog, withLogContext, type InvocationLog } from '../../shared/log/logger';

type Console = 'debug' | 'log' | 'warn' | 'error';

function capture(method: Console): { lines: () => Record<string, unknown>[]; restore: () => void } {
  const spy = jest.spyOn(console, method).mockImplementation(() => undefined);
  return {
    lines: () =>
      spy.mock.calls.map((args) => {
        expect(args).toHaveLength(1); // one string per event: one line, nothing Application Insights would split
        expect(String(args[0])).not.toContain('\n');
        return JSON.parse(String(args[0])) as Record<string, unknown>;
      }),
    restore: () => spy.mockRestore(),
  };
}

describe('the app logger', () => {
  it('writes one JSON line per event, on the console method of its level', () => {
    const outputs = { debug: capture('debug'), info: capture('log'), warn: capture('warn'), error: capture('error') };
    try {
      for (const level of ['debug', 'info', 'warn', 'error'] as const) logEvent(level, `test.${level}`, { n: 1, text: 'two\nlines' });
      for (const level of ['debug', 'info', 'warn', 'error'] as const) {
        expect(outputs[level].lines()).toEqual([{ level, event: `test.${level}`, n: 1, text: 'two\nlines' }]);
      }
    } finally {
      for (const output of Object.values(outputs)) output.restore();
    }
  });

  it('adds the invocation fields of the surrounding context, across awaits, nested contexts adding to outer ones', async () => {
    const warn = capture('warn');
    try {
      await withLogContext({ invocationId: 'inv-1', operation: 'Accounts_Get', clientRequestId: 'req-1' }, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        logEvent('warn', 'first');
        await withLogContext({ accountName: 'contoso' }, async () => {
          await Promise.resolve();
          logEvent('warn', 'second', { extra: true });
        });
        logEvent('warn', 'third');
      });
      logEvent('warn', 'outside');
      expect(warn.lines()).toEqual([
        { level: 'warn', event: 'first', invocationId: 'inv-1', operation: 'Accounts_Get', clientRequestId: 'req-1' },
        { level: 'warn', event: 'second', invocationId: 'inv-1', operation: 'Accounts_Get', clientRequestId: 'req-1', accountName: 'contoso', extra: true },
        { level: 'warn', event: 'third', invocationId: 'inv-1', operation: 'Accounts_Get', clientRequestId: 'req-1' },
        { level: 'warn', event: 'outside' },
      ]);
    } finally {
      warn.restore();
    }
  });

  it('keeps concurrent invocations apart', async () => {
    const warn = capture('warn');
    try {
      const run = (id: string, delayMs: number) =>
        withLogContext({ invocationId: id }, async () => {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          logEvent('warn', 'done');
        });
      await Promise.all([run('slow', 20), run('fast', 1)]);
      expect(warn.lines().map((line) => line.invocationId)).toEqual(['fast', 'slow']);
    } finally {
      warn.restore();
    }
  });

  it('leaves out unknown fields, and a timer started outside the context carries none', async () => {
    const warn = capture('warn');
    try {
      await withLogContext({ invocationId: 'inv-2', clientRequestId: '', accountName: undefined }, async () => {
        expect(logContext()).toEqual({ invocationId: 'inv-2' });
        await new Promise<void>((resolve) => outsideLogContext(() => setTimeout(() => (logEvent('warn', 'timer'), resolve()), 1)));
      });
      expect(warn.lines()).toEqual([{ level: 'warn', event: 'timer' }]);
    } finally {
      warn.restore();
    }
  });

  it('inside an invocation, writes through its log methods (the host ties the line to it), nested fields included', async () => {
    const written: [string, unknown[]][] = [];
    const invocation: InvocationLog = {
      invocationId: 'inv-3',
      debug: (...args) => written.push(['debug', args]),
      info: (...args) => written.push(['info', args]),
      warn: (...args) => written.push(['warn', args]),
      error: (...args) => written.push(['error', args]),
    };
    const warn = capture('warn');
    try {
      await withInvocationLog(invocation, { operation: 'flowthroughWorker' }, async () => {
        await withLogContext({ accountName: 'contoso' }, async () => {
          await Promise.resolve();
          logEvent('debug', 'flowthrough.run', { outcome: 'done' });
          logEvent('warn', 'flowthrough.kick.failed');
        });
      });
      expect(warn.lines()).toEqual([]);
      expect(written.map(([level, args]) => [level, args.map((arg) => JSON.parse(String(arg)))])).toEqual([
        ['debug', [{ level: 'debug', event: 'flowthrough.run', invocationId: 'inv-3', operation: 'flowthroughWorker', accountName: 'contoso', outcome: 'done' }]],
        ['warn', [{ level: 'warn', event: 'flowthrough.kick.failed', invocationId: 'inv-3', operation: 'flowthroughWorker', accountName: 'contoso' }]],
      ]);
    } finally {
      warn.restore();
    }
  });

  it('logs an error by its message', () => {
    expect(errorText(new Error('boom'))).toBe('boom');
    expect(errorText('plain')).toBe('plain');
  });
});
