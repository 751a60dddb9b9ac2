/**
 * The portal's browser-side rules without a browser: they are the API's own schemas and domain
 * rules (shared/), so these tests pin the portal's use of them: CSV parsing and column mapping,
 * export/import round trip, ranges and lists, the account form, and the relationship reason rule.
 */
import { parseNumbersCsv } from '../../portal/src/csv/parseRows';
import { numbersToCsv } from '../../portal/src/csv/exportCsv';
import { accountBody, accountDocOf, accountProblems, emptyAccountForm } from '../../portal/src/rules/accountRules';
import { expandRange, parseNumberList } from '../../portal/src/rules/numberRules';
import { relationshipProblems } from '../../portal/src/rules/rfiRules';

const drAccount = accountDocOf({
  name: 'contoso',
  serviceDetails: {
    teamsDirectRouting: { enabled: true, syncEnabled: false, configuration: { callScreening: false, subdomain: 'contoso', subdomainTokens: { region1Token: 'a', region2Token: 'b' } } },
    azureOperatorCallProtection: { enabled: true },
  },
});
const ocAccount = accountDocOf({ name: 'fabrikam', serviceDetails: { teamsTenantId: '0c7e0000-0000-4000-8000-000000000001', teamsOperatorConnect: { enabled: true, syncEnabled: true } } });

describe('CSV import', () => {
  test('maps every problem to its row and column, and keeps the valid rows as NumberResources', () => {
    const csv = [
      'telephoneNumber,accountName,serviceDetails_teamsDirectRouting_enabled,serviceDetails_zoomPhoneCloudPeering_enabled,configuration_customSipHeader',
      '+14255550100,contoso,true,,hdr-1',
      '12345,contoso,true,,', // not E.164
      '+14255550102,contoso,maybe,,', // not a boolean
      '+14255550103,contoso,true,,no spaces', // header character set
      '+14255550104,contoso,,true,', // Zoom is not enabled on the account
      '+14255550105,other,true,,', // another account
      '+14255550100,contoso,true,,', // duplicate of line 2
      '+14255550107,,true,,', // accountName defaults to the account
    ].join('\n');
    const result = parseNumbersCsv(csv, 'contoso', drAccount);
    if (!result.ok) throw new Error(result.fileProblems.join('; '));
    const problems = result.rows.flatMap((r) => r.problems.map((p) => [r.line, p.column]));
    expect(problems).toEqual([
      [3, 'telephoneNumber'],
      [4, 'serviceDetails_teamsDirectRouting_enabled'],
      [5, 'configuration_customSipHeader'],
      [6, 'serviceDetails_zoomPhoneCloudPeering_enabled'],
      [7, 'accountName'],
      [8, 'telephoneNumber'],
    ]);
    expect(result.rows.find((r) => r.line === 6)?.problems[0]?.message).toBe('zoomPhoneCloudPeering is not enabled on account contoso.');
    expect(result.rows.filter((r) => r.number).map((r) => r.number)).toEqual([
      { telephoneNumber: '+14255550100', accountName: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true } }, configuration: { customSipHeader: 'hdr-1' } },
      { telephoneNumber: '+14255550107', accountName: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true } } },
    ]);
  });

  test('reads Operator Connect settings, with list columns separated by ";", and applies the upload rule', () => {
    const csv = [
      'telephoneNumber,serviceDetails_teamsOperatorConnect_enabled,serviceDetails_teamsOperatorConnect_configuration_usage,serviceDetails_teamsOperatorConnect_configuration_choosableCapabilities,serviceDetails_teamsOperatorConnect_configuration_allowTenantAddressUpdate',
      '+14255550200,true,CallingUserAssignment,InboundCalling; OutboundCalling,TRUE',
      '+14255550201,true,,,', // the account syncs: usage and capabilities are needed for the upload
    ].join('\n');
    const result = parseNumbersCsv(csv, 'fabrikam', ocAccount);
    if (!result.ok) throw new Error(result.fileProblems.join('; '));
    expect(result.rows[0]?.number?.serviceDetails.teamsOperatorConnect).toEqual({
      enabled: true,
      configuration: { usage: 'CallingUserAssignment', choosableCapabilities: ['InboundCalling', 'OutboundCalling'], allowTenantAddressUpdate: true },
    });
    expect(result.rows[1]?.problems).toEqual([{ column: 'serviceDetails_teamsOperatorConnect_enabled', message: expect.stringContaining('configuration (usage, choosableCapabilities) is required') }]);
  });

  test('refuses a whole file with unknown columns, without telephoneNumber, or over 10,000 rows', () => {
    expect(parseNumbersCsv('telephoneNumber,colour\n+14255550100,red', 'contoso', drAccount)).toEqual({ ok: false, fileProblems: ['Unknown column: colour. See the column list in the help.'] });
    expect(parseNumbersCsv('accountName\ncontoso', 'contoso', drAccount)).toMatchObject({ ok: false, fileProblems: expect.arrayContaining(['The header row must include telephoneNumber.']) });
    const big = ['telephoneNumber,serviceDetails_teamsDirectRouting_enabled', ...Array.from({ length: 10_001 }, (_, i) => `+1425${String(5000000 + i)},true`)].join('\n');
    expect(parseNumbersCsv(big, 'contoso', drAccount)).toEqual({ ok: false, fileProblems: ['At most 10,000 rows per file; this one has 10,001.'] });
  });

  test('an export imports back to the same numbers', () => {
    const numbers = [
      { telephoneNumber: '+14255550100', accountName: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true }, azureOperatorCallProtection: { enabled: true } }, configuration: { customSipHeader: 'h-1' } },
      { telephoneNumber: '+14255550101', accountName: 'contoso', serviceDetails: { teamsDirectRouting: { enabled: true } } },
    ];
    const csv = numbersToCsv(numbers);
    expect(csv.split('\n')[0]).toBe('telephoneNumber,accountName,serviceDetails_teamsDirectRouting_enabled,serviceDetails_azureOperatorCallProtection_enabled,configuration_customSipHeader');
    const back = parseNumbersCsv(csv, 'contoso', drAccount);
    if (!back.ok) throw new Error(back.fileProblems.join('; '));
    // Exported `false` cells (Call Protection off) are explicit; the meaning is the same.
    expect(back.rows.map((r) => r.problems)).toEqual([[], []]);
    expect(back.rows[0]?.number).toEqual(numbers[0]);
    expect(back.rows[1]?.number).toEqual({ ...numbers[1] });
  });
});

describe('ranges and lists', () => {
  test('a range is inclusive and stays within one length and 10,000 numbers', () => {
    expect(expandRange('+14255550198', '+14255550201')).toEqual({ ok: true, numbers: ['+14255550198', '+14255550199', '+14255550200', '+14255550201'] });
    expect(expandRange('+1425555019', '+14255550201')).toMatchObject({ ok: false, problems: ['The first and last number of a range must have the same number of digits.'] });
    expect(expandRange('+14255550201', '+14255550200')).toMatchObject({ ok: false });
    expect(expandRange('+14255500000', '+14255600000')).toMatchObject({ ok: false, problems: ['A range holds at most 10000 numbers; this one has 100001.'] });
    expect(expandRange('14255550100', '+14255550101')).toMatchObject({ ok: false, problems: [expect.stringContaining('14255550100: must be an E.164 number')] });
  });

  test('a pasted list splits on new lines, commas and spaces, and reports duplicates and bad numbers', () => {
    expect(parseNumberList('+14255550100\n+14255550101, +14255550102 ;+14255550103')).toEqual({ ok: true, numbers: ['+14255550100', '+14255550101', '+14255550102', '+14255550103'] });
    expect(parseNumberList('+14255550100 +14255550100 +0123')).toEqual({ ok: false, problems: ['+14255550100: listed twice', expect.stringContaining('+0123: must be an E.164 number')] });
  });
});

describe('account form', () => {
  test('the API rules apply in the browser: Direct Routing needs its configuration, a long FQDN is refused', () => {
    const form = { ...emptyAccountForm(), name: 'contoso', enabled: { ...emptyAccountForm().enabled, teamsDirectRouting: true } };
    // Empty fields break both the length and the character rule: one target may carry two messages.
    expect([...new Set(accountProblems(accountBody(form), 'example.commsgw.azure.com').map((p) => p.target))]).toEqual([
      'serviceDetails.teamsDirectRouting.configuration.subdomain',
      'serviceDetails.teamsDirectRouting.configuration.subdomainTokens.region1Token',
      'serviceDetails.teamsDirectRouting.configuration.subdomainTokens.region2Token',
    ]);
    const full = { ...form, subdomain: 'contoso123', region1Token: 'a', region2Token: 'b' };
    expect(accountProblems(accountBody(full), 'example.commsgw.azure.com')).toEqual([]);
    expect(accountProblems(accountBody(full), 'a-much-longer-base-domain.example.com')).toEqual([
      expect.objectContaining({ target: 'serviceDetails.teamsDirectRouting.configuration.subdomain', message: expect.stringContaining('at most 48') }),
    ]);
  });

  test('Operator Connect with sync needs the Teams tenant (D15)', () => {
    const form = { ...emptyAccountForm(), name: 'fabrikam', syncEnabled: true, enabled: { ...emptyAccountForm().enabled, teamsOperatorConnect: true } };
    expect(accountProblems(accountBody(form), 'example.commsgw.azure.com').map((p) => p.target)).toEqual(['serviceDetails.teamsTenantId']);
    expect(accountProblems(accountBody({ ...form, teamsTenantId: 'not-a-guid' }), 'example.commsgw.azure.com').map((p) => p.target)).toEqual(['serviceDetails.teamsTenantId']);
  });
});

describe('customer relationship', () => {
  test('declining needs a reason in the same change; other statuses do not', () => {
    expect(relationshipProblems({ status: 'ConsentAcknowledged' }, 'ConsentDeclined', null)).toEqual([
      expect.objectContaining({ code: 'CommentRequired', target: 'customerRelationship.comment' }),
    ]);
    expect(relationshipProblems({ status: 'ConsentAcknowledged' }, 'ConsentDeclined', 'Chose another carrier')).toEqual([]);
    expect(relationshipProblems(undefined, 'AgreementSigned', null)).toEqual([]);
    expect(relationshipProblems(undefined, 'Unknown', null)).toEqual([expect.objectContaining({ target: 'customerRelationship.status' })]);
  });
});
