/**
 * Runs captured timerTrigger registrations on their schedule (UTC), one run at a time per timer,
 * like the host's singleton timer: an occurrence that comes due while the previous run is still
 * going is skipped. Scheduled runs log their errors; `runTimer` hands them to the caller.
 */
import { Timer } from '@azure/functions';
import { CronExpressionParser } from 'cron-parser';
import { registry } from './fakeCore';
import { getRegistration, invokeFunction, triggerOf } from './invoke';

export interface TimerSchedule {
  next(after: Date): Date;
  previous(before: Date): Date;
}

/**
 * A 6-field NCRONTAB (`{second} {minute} {hour} {day} {month} {day-of-week}`), a TimeSpan
 * (`hh:mm:ss`, App Service plans) or a `%AppSetting%` naming either, as the host accepts.
 */
export function parseSchedule(schedule: string): TimerSchedule {
  const setting = /^%(\w+)%$/.exec(schedule.trim());
  const expression = setting ? (process.env[setting[1] ?? ''] ?? '') : schedule.trim();
  const timeSpan = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(expression);
  if (timeSpan) {
    const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = timeSpan;
    const ms = (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
    if (ms <= 0) throw new Error(`Timer schedule "${schedule}" must be a positive interval.`);
    return { next: (after) => new Date(after.getTime() + ms), previous: (before) => new Date(before.getTime() - ms) };
  }
  if (expression.split(/\s+/).length !== 6) {
    throw new Error(`Timer schedule "${schedule}" must be a 6-field NCRONTAB expression (seconds first).`);
  }
  CronExpressionParser.parse(expression, { tz: 'UTC' }); // throws on a bad expression now, not at first run
  const at = (currentDate: Date) => CronExpressionParser.parse(expression, { tz: 'UTC', currentDate });
  return { next: (after) => at(after).next().toDate(), previous: (before) => at(before).prev().toDate() };
}

interface TimerState {
  running?: Promise<void>;
  lastRun?: Date;
}
const states = new Map<string, TimerState>();

function timerSchedule(name: string): TimerSchedule {
  const trigger = triggerOf(getRegistration(name));
  if (trigger.type !== 'timerTrigger') throw new Error(`Function "${name}" is not a timer.`);
  return parseSchedule(String(trigger.schedule));
}

/**
 * Invokes the timer now and resolves when its handler has finished (rejects with its error).
 * If a run of that timer is already in progress, returns that run instead of starting another.
 */
export function runTimer(name: string): Promise<void> {
  const state = states.get(name) ?? {};
  states.set(name, state);
  if (state.running) return state.running;
  const schedule = timerSchedule(name);
  const now = new Date();
  const timer: Timer = {
    isPastDue: false,
    schedule: { adjustForDST: false },
    scheduleStatus: {
      last: (state.lastRun ?? schedule.previous(now)).toISOString(),
      next: schedule.next(now).toISOString(),
      lastUpdated: now.toISOString(),
    },
  };
  state.running = invokeFunction(name, timer).then(() => undefined).finally(() => {
    state.running = undefined;
    state.lastRun = now;
  });
  return state.running;
}

/** setTimeout caps delays at 2^31-1 ms (~24.8 days); longer waits re-arm. Unref'd: never keeps a process alive. */
function at(due: Date, callback: () => void, handles: Set<NodeJS.Timeout>): void {
  const MAX_DELAY = 2 ** 31 - 1;
  const delay = due.getTime() - Date.now();
  const handle = setTimeout(
    () => {
      handles.delete(handle);
      if (delay > MAX_DELAY) at(due, callback, handles);
      else callback();
    },
    Math.max(0, Math.min(delay, MAX_DELAY)),
  );
  handle.unref();
  handles.add(handle);
}

/** Schedules every registered timer (runOnStartup ones run at once). Schedules are validated here. */
export function startTimers(): { stop(): void } {
  const handles = new Set<NodeJS.Timeout>();
  let stopped = false;
  for (const registration of registry.values()) {
    const trigger = triggerOf(registration);
    if (trigger.type !== 'timerTrigger') continue;
    const name = registration.name;
    const schedule = timerSchedule(name);
    const fire = () => {
      if (states.get(name)?.running) {
        console.warn(`[local host] timer "${name}" skipped an occurrence: the previous run is still going.`);
        return;
      }
      runTimer(name).catch((err: unknown) => console.error(`[local host] timer "${name}" failed:`, err));
    };
    // Never compute from before the last due time: a timeout may fire a millisecond early.
    const arm = (lastDue: number) => {
      if (stopped) return;
      const due = schedule.next(new Date(Math.max(Date.now(), lastDue)));
      at(due, () => {
        if (stopped) return;
        fire();
        arm(due.getTime());
      }, handles);
    };
    if (trigger.runOnStartup === true) fire();
    arm(0);
  }
  return {
    stop() {
      stopped = true;
      handles.forEach(clearTimeout);
      handles.clear();
    },
  };
}
