/**
 * The Functions app entry (package.json "main"): every function group registers itself on import.
 * Configuration is loaded here so a missing or inconsistent setting fails the start-up, not a request.
 */
import { config } from '../shared/config';
import './accounts';
import './numbers';
import './teams';
import './sweeper';

config();
