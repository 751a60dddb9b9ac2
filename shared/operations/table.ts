/**
 * The operations table: every Provisioning API operation, declared once (operation.ts), in the
 * order a 405's Allow header lists a resource's methods. The registrar (functions/registrar.ts)
 * registers one HTTP function per resource route from it, dispatch.ts finds a request's operation
 * in it, and openapi.ts describes it. docs/api.md "The operations table".
 */
import {
  createOrUpdateNumbersOperation,
  deleteAccountOperation,
  deleteNumbersOperation,
  getAccountOperation,
  listAccountsOperation,
  putAccountOperation,
} from './accounts';
import { deleteNumberOperation, getNumberOperation, listAccountNumbersOperation, listNumbersOperation, putNumberOperation } from './numbers';
import type { OperationSpec } from './operation';
import {
  availableCapabilitiesOperation,
  capabilityPlansOperation,
  getCivicAddressOperation,
  getRfiOperation,
  listCivicAddressesOperation,
  listRfisOperation,
  patchRfiOperation,
} from './teams';

// Commands differ per operation; the table holds them side by side.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyOperation = OperationSpec<any>;

export const OPERATIONS: readonly AnyOperation[] = Object.freeze([
  listAccountsOperation,
  getAccountOperation,
  putAccountOperation,
  deleteAccountOperation,
  createOrUpdateNumbersOperation,
  deleteNumbersOperation,
  capabilityPlansOperation,
  availableCapabilitiesOperation,
  listAccountNumbersOperation,
  getNumberOperation,
  putNumberOperation,
  deleteNumberOperation,
  listCivicAddressesOperation,
  getCivicAddressOperation,
  listNumbersOperation,
  listRfisOperation,
  getRfiOperation,
  patchRfiOperation,
]);
