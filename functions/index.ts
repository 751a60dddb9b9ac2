/**
 * The Functions app entry (package.json "main") and the one place with side-effect wiring: app
 * setup, the request pipeline's ports, and the registrations of the function groups APP_FUNCTIONS
 * selects (shared/appFunctions.ts; default all), `/health` in every app. The API's functions come
 * from the operations table through the registrar (functions/registrar.ts).
 * Configuration (storage, AUTH_*, and the selected groups' own settings) is loaded here so a
 * missing or inconsistent setting fails the start-up, not a request.
 */
// First: telemetry starts (when configured) before anything it instruments is loaded.
import './telemetry';
import { app } from '@azure/functions';
import { authorizerFor, processBearerValidator } from '../shared/auth/authorizer';
import { appFunctions } from '../shared/appFunctions';
import { config } from '../shared/config';
import { configurePipeline } from '../shared/contract/pipeline';
import { FLOWTHROUGH_QUEUE, kickTransport, setKickTransport } from '../shared/flowthrough/kicks';
import { serviceBusTransportFromEnv } from '../shared/flowthrough/serviceBusTransport';
import { setConsentPuller } from '../shared/flowthrough/sweeper';
import { setRfiHandler } from '../shared/flowthrough/worker';
import { validateGroupSettings } from '../shared/startupChecks';
import { tableRepeatability } from '../shared/store/repeatabilityStore';
import { storageFailure } from '../shared/store/storageErrors';
import { pullConsents } from '../shared/teams/consentPuller';
import { pushCustomerRelationship } from '../shared/teams/rfiPush';
import { healthHandler } from './health';

// Every setting of this process's groups at once: one error names each bad one (docs/settings.md).
validateGroupSettings(process.env);
// Request bodies stream from the host instead of arriving buffered (up to its 100 MB cap): an
// operation reads its body only after authorization, through one bounded reader (docs/api.md).
app.setup({ enableHttpStream: true });
const groups = appFunctions();
configurePipeline({
  authorizer: authorizerFor(processBearerValidator()),
  repeatability: tableRepeatability,
  failures: storageFailure,
  repeatabilityWindowSeconds: () => config().repeatabilityWindowSeconds,
});
// Loaded only when selected, so an app registers (and is scaled and billed for) its own functions.
if (groups.has('api')) {
  const { registerOpenApi, registerOperations } = require('./registrar') as typeof import('./registrar');
  const { OPERATIONS } = require('../shared/operations/table') as typeof import('../shared/operations/table');
  registerOperations(app, OPERATIONS);
  registerOpenApi(app, OPERATIONS);
  // The consent puller (sweeper) and the RFI push (worker) serve the Teams operations.
  setConsentPuller(() => pullConsents());
  setRfiHandler(pushCustomerRelationship);
  const { portalHandler, PORTAL_ROUTE } = require('./portal') as typeof import('./portal');
  app.http('portal', { route: PORTAL_ROUTE, methods: ['GET', 'HEAD'], authLevel: 'anonymous', handler: portalHandler });
}
if (groups.has('worker')) {
  const { sweep } = require('./sweeper') as typeof import('./sweeper');
  const { flowthroughWorker } = require('./worker') as typeof import('./worker');
  app.timer('sweeper', { schedule: '0 * * * * *', runOnStartup: false, handler: sweep });
  app.serviceBusQueue('flowthroughWorker', { connection: 'ServiceBusConnection', queueName: FLOWTHROUGH_QUEUE, isSessionsEnabled: true, handler: flowthroughWorker });
}
if (groups.has('lookup')) {
  const { lookupHandler, LOOKUP_ROUTE } = require('./lookup') as typeof import('./lookup');
  // Every method reaches the handler so a wrong one gets an Azure.Core 405 body, as elsewhere.
  app.http('lookup', { route: LOOKUP_ROUTE, methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], authLevel: 'anonymous', handler: lookupHandler });
}
// Every method reaches the handler so a wrong one gets an Azure.Core 405 body, as elsewhere.
app.http('health', { route: 'health', methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'], authLevel: 'anonymous', handler: healthHandler });
// In Azure kicks go to Service Bus; the local host installs its in-process queue instead. The
// lookup sends none.
if ((groups.has('api') || groups.has('worker')) && kickTransport() === undefined) setKickTransport(serviceBusTransportFromEnv(process.env));
