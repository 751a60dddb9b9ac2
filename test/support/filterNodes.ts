/** Builders of the $filter syntax tree (shared/contract/filter.ts), the expected values of the filter suites. */
import type { FilterNode } from '../../shared/contract/filter';

export type Op = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export const compare = (column: string, op: Op, value: string | boolean): FilterNode => ({ kind: 'compare', op, column, value });
export const and = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'and', left, right });
export const or = (left: FilterNode, right: FilterNode): FilterNode => ({ kind: 'or', left, right });
export const not = (operand: FilterNode): FilterNode => ({ kind: 'not', operand });
export const startswith = (column: string, prefix: string): FilterNode => ({ kind: 'startswith', column, prefix });
