/**
 * The Functions app entry (package.json "main"): the function groups APP_FUNCTIONS selects
 * (shared/appFunctions.ts; default all) register themselves on load, `/health` in every app.
 * Configuration (storage, AUTH_*, and the selected groups' own settings) is loaded here so a
 * missing or inconsistent setting fails the start-up, not a request.
 */
import { app } from '@azure/functions';
import { authorizerFor, processBearerValidator } from '../shared/auth/authorizer';
import { appFunctions } from '../shared/appFunctions';
import { config } from '../shared/config';
import { setAuthorizer } from '../shared/contract/pipeline';
import { kickTransport, setKickTransport } from '../shared/flowthrough/kicks';
import { serviceBusTransportFromEnv } from '../shared/flowthrough/serviceBusTransport';
import { validateGroupSettings } from '../shared/startupChecks';

config();
// Request bodies stream from the host instead of arriving buffered (up to its 100 MB cap): an
// operation reads its body only after authorization, through one bounded reader (docs/api.md).
app.setup({ enableHttpStream: true });
const groups = appFunctions();
validateGroupSettings(groups, process.env);
setAuthorizer(authorizerFor(processBearerValidator()));
// Loaded only when selected, so an app registers (and is scaled and billed for) its own functions.
if (groups.has('api')) {
  require('./accounts');
  require('./numbers');
  require('./teams');
  require('./portal');
}
if (groups.has('worker')) {
  require('./sweeper');
  require('./worker');
}
if (groups.has('lookup')) require('./lookup');
require('./health');
// In Azure kicks go to Service Bus; the local host installs its in-process queue instead. The
// lookup sends none.
if ((groups.has('api') || groups.has('worker')) && kickTransport() === undefined) setKickTransport(serviceBusTransportFromEnv(process.env));
