// The business's time zone (GET /api/v1/session gives it to every role): appointment and slot
// times are the business's, so a front desk on a laptop set to another zone still sees 09:00 for
// a 09:00 appointment. Until a session is known, the browser's own zone stands in.

let zone = null;

/** The browser's zone, as Intl resolves it. */
export function browserZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Sets the business zone from the session; an unknown name falls back to the browser's. */
export function setBusinessZone(name) {
  try {
    zone = name && new Intl.DateTimeFormat('en', { timeZone: name }) ? name : null;   // throws for an unknown name
  } catch {
    zone = null;
  }
}

export function businessZone() {
  return zone || browserZone();
}

/** Whether the browser shows another wall-clock time than the business right now (or at `at`). */
export function zoneDiffers(at = new Date()) {
  if (businessZone() === browserZone()) return false;
  const wall = (timeZone) => new Intl.DateTimeFormat('en', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric',
    day: 'numeric', hour: 'numeric', minute: 'numeric' }).format(at);
  return wall(businessZone()) !== wall(browserZone());
}
