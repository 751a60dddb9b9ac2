/**
 * The Functions app entry (package.json "main"): every function group registers itself on import.
 * Configuration (storage and AUTH_*) is loaded here so a missing or inconsistent setting fails the
 * start-up, not a request.
 */
import { authorizerFromEnv } from '../shared/auth/authorizer';
import { config } from '../shared/config';
import { setAuthorizer } from '../shared/contract/pipeline';
import './accounts';
import './numbers';
import './teams';
import './sweeper';
import './lookup';

config();
setAuthorizer(authorizerFromEnv(process.env));
