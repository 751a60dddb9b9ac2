import { odata } from '@azure/data-tables';
import { accountNameFilter } from '../../shared/store/accountStore';
import { and, keyAfter, odataString } from '../../shared/store/query';

describe('store filters quote literals through the SDK odata template', () => {
  it('doubles a quote inside a literal, so a value cannot end the string early', () => {
    expect(odataString("o'brien")).toBe("'o''brien'");
    expect(odataString("' or PartitionKey ne '")).toBe("''' or PartitionKey ne '''");
    expect(odataString('')).toBe("''");
  });

  it('builds key filters with the quoting the template gives', () => {
    expect(accountNameFilter("a'b")).toBe("PartitionKey eq 'a''b'");
    expect(accountNameFilter("a'b")).toBe(odata`PartitionKey eq ${"a'b"}`);
    expect(keyAfter({ pk: "p'k", rk: 'r' })).toBe("(PartitionKey gt 'p''k') or (PartitionKey eq 'p''k' and RowKey gt 'r')");
  });

  it('joins parts, parenthesised, skipping absent ones', () => {
    expect(and(undefined, '', "a eq 'x'")).toBe("a eq 'x'");
    expect(and("a eq 'x'", "b eq 'y'")).toBe("(a eq 'x') and (b eq 'y')");
    expect(and()).toBeUndefined();
  });
});
