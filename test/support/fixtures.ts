/** Minimal valid bodies: a Zoom account and a Zoom number need no other setup. */
export const accountBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  serviceDetails: { zoomPhoneCloudPeering: { enabled: true, syncEnabled: false } },
  ...extra,
});

export const numberBody = (accountName: string, telephoneNumber: string, extra: Record<string, unknown> = {}) => ({
  telephoneNumber,
  accountName,
  serviceDetails: { zoomPhoneCloudPeering: { enabled: true } },
  ...extra,
});
