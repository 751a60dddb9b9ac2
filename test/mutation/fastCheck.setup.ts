/**
 * Mutation runs only (jest.mutation.config.js): a property that fails stops at its first
 * counterexample. Shrinking it would only make the report nicer, and for a mutant that breaks a
 * property it costs most of the run; which mutants are killed stays the same.
 */
import fc from 'fast-check';

fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });
