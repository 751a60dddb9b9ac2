/** The CSV column format, shown where users import (kept in step with docs/portal.md and csv/format.ts). */
import { Accordion, AccordionHeader, AccordionItem, AccordionPanel } from '@fluentui/react-components';
import { EXAMPLE_CSV, LIST_SEPARATOR, MAX_CSV_ROWS } from '../csv/format';

export function CsvHelp() {
  return (
    <Accordion collapsible>
      <AccordionItem value="format">
        <AccordionHeader>CSV format</AccordionHeader>
        <AccordionPanel>
          <p>
            One number per row, at most {MAX_CSV_ROWS.toLocaleString('en-US')} rows. The header row names the number's fields, with <code>_</code> between levels:
          </p>
          <ul>
            <li>
              <code>telephoneNumber</code> (required, E.164 such as <code>+14255550100</code>), <code>accountName</code> (optional; must be this account)
            </li>
            <li>
              <code>serviceDetails_&lt;service&gt;_enabled</code>: <code>true</code> or <code>false</code>, for <code>teamsDirectRouting</code>, <code>teamsOperatorConnect</code>,{' '}
              <code>teamsPhoneMobile</code>, <code>zoomPhoneCloudPeering</code>, <code>azureOperatorCallProtection</code>
            </li>
            <li>
              Operator Connect / Teams Phone Mobile: <code>serviceDetails_teamsOperatorConnect_configuration_usage</code>, <code>…_configuration_choosableCapabilities</code> (values separated by{' '}
              <code>{LIST_SEPARATOR}</code>), <code>…_configuration_additionalUsages</code>, <code>…_configuration_civicAddressId</code>, <code>…_configuration_locationId</code>,{' '}
              <code>…_configuration_allowTenantAddressUpdate</code>, <code>…_configuration_displayedCountryCode</code>, <code>…_assignmentStatus</code> (<code>assigned</code>/<code>unassigned</code>)
            </li>
            <li>
              <code>configuration_customSipHeader</code> (optional; letters, digits, <code>_</code>, <code>-</code>)
            </li>
          </ul>
          <p>An empty cell means "not set". Every row is checked with the API's own rules before anything is sent. Example:</p>
          <pre>{EXAMPLE_CSV}</pre>
        </AccordionPanel>
      </AccordionItem>
    </Accordion>
  );
}
