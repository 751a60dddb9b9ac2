/**
 * The page behind a closed dialog stays readable. With React 19 and Fluent UI 9.74 the dialog focus
 * trap (tabster's modalizer) leaves `aria-hidden="true"` on #root after a dialog closes, hiding the
 * whole portal from screen readers (found by the e2e suite's role queries and axe scans). While no
 * dialog is in the document, that attribute is removed whenever it appears.
 */
const OPEN_DIALOG = '[role="dialog"],[role="alertdialog"]';

export function keepPageReadable(root: HTMLElement): void {
  const repair = () => {
    if (root.getAttribute('aria-hidden') === 'true' && document.querySelector(OPEN_DIALOG) === null) root.removeAttribute('aria-hidden');
  };
  new MutationObserver(repair).observe(root, { attributes: true, attributeFilter: ['aria-hidden'] });
  // Closing removes the dialog from a portal outside #root: re-check when body's children change.
  new MutationObserver(repair).observe(document.body, { childList: true, subtree: true });
}
