/**
 * The Functions app entry (package.json "main"): every function group registers itself on import.
 * Configuration (storage and AUTH_*) is loaded here so a missing or inconsistent setting fails the
 * start-up, not a request.
 */
import { authorizerFor, processBearerValidator } from '../shared/auth/authorizer';
import { config } from '../shared/config';
import { setAuthorizer } from '../shared/contract/pipeline';
import './accounts';
import './numbers';
import './teams';
import './sweeper';
import './worker';
import './lookup';
import { kickTransport, setKickTransport } from '../shared/flowthrough/kicks';
import { serviceBusTransportFromEnv } from '../shared/flowthrough/serviceBusTransport';

config();
setAuthorizer(authorizerFor(processBearerValidator()));
// In Azure kicks go to Service Bus; the local host installs its in-process queue instead.
if (kickTransport() === undefined) setKickTransport(serviceBusTransportFromEnv(process.env));
