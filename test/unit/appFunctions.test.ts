/** APP_FUNCTIONS: which function groups a process registers (shared/appFunctions.ts). */
import { parseAppFunctions } from '../../shared/appFunctions';

it('registers every group by default and for "all"', () => {
  for (const raw of [undefined, '', '  ', 'all', 'ALL']) expect([...parseAppFunctions(raw)]).toEqual(['api', 'worker', 'lookup']);
});

it('takes a comma list of groups, case and spaces ignored', () => {
  expect([...parseAppFunctions('lookup')]).toEqual(['lookup']);
  expect([...parseAppFunctions(' API , worker ')]).toEqual(['api', 'worker']);
});

it('fails fast on an unknown group, naming the setting', () => {
  expect(() => parseAppFunctions('api,lookups')).toThrow(/APP_FUNCTIONS=api,lookups must be 'all' or a comma list of api, worker, lookup/);
  expect(() => parseAppFunctions('api,')).toThrow(/APP_FUNCTIONS/);
});
