// api.js — the only module that calls fetch. One typed function per endpoint of
// docs/api.md. Errors arrive as RFC 9457 problem+json and leave as ApiError; views
// switch on `code`, never on `detail`.

/** An API failure, built from a problem+json body (or from a network failure). */
export class ApiError extends Error {
  /**
   * @param {{status:number, code:string, detail?:string, title?:string,
   *          errors?:Array<{field:string, code:string, message?:string}>, traceId?:string,
   *          retryAfter?:number}} p
   */
  constructor(p) {
    super(p.detail || p.title || p.code);
    this.name = 'ApiError';
    /** @type {number} HTTP status; 0 when the server could not be reached */
    this.status = p.status;
    /** @type {string} stable dotted code, e.g. "user.email_taken" */
    this.code = p.code;
    /** @type {string} human text from the server (for logs, not for switching) */
    this.detail = p.detail || p.title || '';
    /** @type {Array<{field:string, code:string, message:string}>} every field error, in order */
    this.errors = (p.errors || []).filter((e) => e && e.field).map((e) => ({ field: e.field, code: e.code, message: e.message || '' }));
    /** @type {Object<string, {code:string, message:string}>} field name → first field error */
    this.fields = {};
    for (const e of p.errors || []) {
      if (e && e.field && !this.fields[e.field]) this.fields[e.field] = { code: e.code, message: e.message || '' };
    }
    /** @type {string|undefined} server trace id of a 5xx */
    this.traceId = p.traceId;
    /** @type {number|undefined} seconds to wait, with 429 auth.rate_limited */
    this.retryAfter = p.retryAfter;
  }
}

let onUnauthorized = null;

/**
 * Register what happens when the API answers 401 `auth.required` (session gone).
 *
 * @param {function(ApiError):void} handler called before the error is thrown
 * @returns {void}
 */
export function setUnauthorizedHandler(handler) {
  onUnauthorized = handler;
}

/** How far the server's clock is ahead of this device's (ms), from the answers' Date headers. */
let clockOffset = 0;

/**
 * The server's time now, as far as the device can tell: its own clock, corrected when the
 * server's `Date` headers say it is more than 30 s off (so an `at` sent to the server is
 * neither "in the future" nor early because of a wrong device clock).
 *
 * @returns {string} RFC 3339 instant (UTC, milliseconds)
 */
export function serverTime() {
  return new Date(Date.now() + clockOffset).toISOString();
}

/** Learn the clock offset from an answer's Date header (whole seconds: half a second added). */
function noteServerClock(res) {
  const date = Date.parse(res.headers.get('Date') || '');
  if (Number.isNaN(date)) return;
  const skew = date + 500 - Date.now();
  clockOffset = Math.abs(skew) > 30_000 ? skew : 0;
}

/**
 * Send one request to the API.
 *
 * @param {string} method HTTP method
 * @param {string} path path below the origin, e.g. "/api/v1/me"
 * @param {{body?:*, file?:Blob|ArrayBuffer, query?:Object<string,*>, signal?:AbortSignal, key?:string}} [opts]
 *   a JSON body, or a file sent as it is (`application/octet-stream`), query, abort signal, and an
 *   `Idempotency-Key` (a retry with the same key is answered, not done twice)
 * @returns {Promise<*>} the parsed JSON body, or null for 204
 */
export async function request(method, path, opts = {}) {
  const url = new URL(path, location.origin);
  for (const [key, value] of Object.entries(opts.query || {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, String(value));
  }
  const init = {
    method,
    credentials: 'same-origin',
    headers: { Accept: 'application/json, application/problem+json' },
    signal: opts.signal,
  };
  if (opts.key) init.headers['Idempotency-Key'] = opts.key;
  if (opts.file !== undefined) {
    init.headers['Content-Type'] = 'application/octet-stream';
    init.body = opts.file;
  } else if (opts.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body);
  }
  let res;
  try {
    res = await fetch(url.pathname + url.search, init);
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network.unreachable', detail: 'The server could not be reached' });
  }
  noteServerClock(res);
  if (res.status === 204) return null;
  const type = res.headers.get('Content-Type') || '';
  // A body cut short by an abort (the page moved on) is an abort, not an empty answer.
  const data = type.includes('json')
    ? await res.json().catch((err) => {
      if (err && err.name === 'AbortError') throw err;
      return null;
    })
    : null;
  if (res.ok) return data;
  throw refusal(res, data);
}

/** The ApiError of a refused answer (its problem+json body parsed, or null). */
function refusal(res, data) {
  const err = new ApiError({
    status: res.status,
    code: (data && data.code) || `http.${res.status}`,
    detail: data && data.detail,
    title: data && data.title,
    errors: data && data.errors,
    traceId: data && data.trace_id,
    retryAfter: data && data.retry_after,
  });
  if (res.status === 401 && err.code === 'auth.required' && onUnauthorized) onUnauthorized(err);
  return err;
}

/**
 * Fetch a file the API hands out as an attachment, whole, so that a refusal can be shown on the
 * page (as an ApiError) instead of becoming a failed download or an error page.
 *
 * @param {string} path below the origin, with its query
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{blob:Blob, fileName:string}>} the file and the name the server gave it
 */
export async function downloadFile(path, signal) {
  let res;
  try {
    res = await fetch(path, { credentials: 'same-origin', signal });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    throw new ApiError({ status: 0, code: 'network.unreachable', detail: 'The server could not be reached' });
  }
  if (!res.ok) {
    const type = res.headers.get('Content-Type') || '';
    throw refusal(res, type.includes('json') ? await res.json().catch(() => null) : null);
  }
  // The server names files with plain ASCII (`filename="…"`); the path's last part otherwise.
  const named = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') || '');
  const blob = await res.blob();
  return { blob, fileName: named ? named[1] : path.split('?')[0].split('/').pop() };
}

/**
 * Whether an error is the abort of a request we cancelled ourselves.
 *
 * @param {*} err anything thrown
 * @returns {boolean} true for AbortError
 */
export function isAbort(err) {
  return Boolean(err && err.name === 'AbortError');
}

const v1 = '/api/v1';

/** @param {AbortSignal} [signal] @returns {Promise<{name:string, version:string, setup_needed:boolean, min_password_length:number}>} instance info */
export const getInstance = (signal) => request('GET', `${v1}/instance`, { signal });

/** @param {{token:string,name:string,email:string,password:string,time_zone:string}} body @returns {Promise<Object>} UserDto */
export const setup = (body) => request('POST', `${v1}/setup`, { body });

/** @param {{email:string, password:string}} body @returns {Promise<Object>} UserDto */
export const logIn = (body) => request('POST', `${v1}/session`, { body });

/** @param {{email:string}} body @returns {Promise<{binding:string, expires_at:string}>} what to keep for the link */
export const requestSignInLink = (body) => request('POST', `${v1}/session/link`, { body });

/** @param {{token:string, binding:string}} body @returns {Promise<Object>} the signed-in UserDto */
export const redeemSignInLink = (body) => request('POST', `${v1}/session/link/redeem`, { body });

/** @returns {Promise<null>} resolves when the session is gone */
export const logOut = () => request('DELETE', `${v1}/session`);

/** @param {{token:string, new_password:string}} body @returns {Promise<null>} resolves on 204 */
export const resetPassword = (body) => request('POST', `${v1}/password-reset`, { body });

/** @param {AbortSignal} [signal] @returns {Promise<Object>} the signed-in UserDto */
export const getMe = (signal) => request('GET', `${v1}/me`, { signal });

/** @param {{name?:string, time_zone?:string}} body @returns {Promise<Object>} UserDto */
export const updateMe = (body) => request('PATCH', `${v1}/me`, { body });

/** @returns {Promise<{id:string, to:string}>} a test e-mail to oneself, queued (admin) */
export const sendTestEmail = () => request('POST', `${v1}/system/test-email`);

/** @param {Object} query channel, state, webhook_id, limit @param {AbortSignal} [signal] @returns {Promise<{items:Object[]}>} the delivery log */
export const listOutbox = (query, signal) => request('GET', `${v1}/outbox`, { query, signal });

/** @param {string} id @returns {Promise<Object>} the message, queued again */
export const resendOutbox = (id) => request('POST', `${v1}/outbox/${encodeURIComponent(id)}/resend`);

/** @param {{current_password:string, new_password:string}} body @returns {Promise<null>} resolves on 204 */
export const changeMyPassword = (body) => request('POST', `${v1}/me/password`, { body });

/**
 * @param {{q?:string, cursor?:string, limit?:number}} query search text and paging
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[], next_cursor:string|null}>} a page of UserDto
 */
export const listUsers = (query, signal) => request('GET', `${v1}/users`, { query, signal });

/** @param {{name:string,email:string,role:string,time_zone:string}} body @returns {Promise<{user:Object, reset_link:{url:string, expires_at:string}}>} the user and its link */
export const createUser = (body) => request('POST', `${v1}/users`, { body });

/** @param {string} id user id @param {Object} body changed fields @returns {Promise<Object>} UserDto */
export const updateUser = (id, body) => request('PATCH', `${v1}/users/${encodeURIComponent(id)}`, { body });

/** @param {string} id user id @returns {Promise<Object>} UserDto */
export const disableUser = (id) => request('POST', `${v1}/users/${encodeURIComponent(id)}/disable`);

/** @param {string} id user id @returns {Promise<Object>} UserDto */
export const enableUser = (id) => request('POST', `${v1}/users/${encodeURIComponent(id)}/enable`);

/** @param {string} id user id @returns {Promise<{url:string, expires_at:string}>} LinkDto */
export const createResetLink = (id) => request('POST', `${v1}/users/${encodeURIComponent(id)}/reset-link`);

/**
 * @param {{actor?:string, action?:string, from?:string, to?:string, cursor?:string, limit?:number}} query filters and paging
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[], next_cursor:string|null}>} a page of AuditRecordDto, newest first
 */
export const listAudit = (query, signal) => request('GET', `${v1}/audit`, { query, signal });

/** @param {AbortSignal} [signal] @returns {Promise<{items:string[]}>} every action name */
export const listAuditActions = (signal) => request('GET', `${v1}/audit/actions`, { signal });

/** @param {AbortSignal} [signal] @returns {Promise<{ok:boolean, records:number, first_bad_seq:number|null, reason:string|null}>} chain status */
export const verifyAudit = (signal) => request('GET', `${v1}/audit/verify`, { signal });

// ---- Time tracking (docs/api.md "Time tracking") ----

const id = (value) => encodeURIComponent(value);

/**
 * @param {{archived?:boolean}} [query] include archived clients
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[]}>} ClientDto list, ordered by name
 */
export const listClients = (query, signal) => request('GET', `${v1}/clients`, { query, signal });

/** @param {{name:string, notes?:string}} body @returns {Promise<Object>} the new ClientDto */
export const createClient = (body) => request('POST', `${v1}/clients`, { body });

/** @param {string} clientId client id @param {{name?:string, notes?:string, archived?:boolean}} body changes @returns {Promise<Object>} ClientDto */
export const updateClient = (clientId, body) => request('PATCH', `${v1}/clients/${id(clientId)}`, { body });

/**
 * @param {{archived?:boolean}} [query] include archived projects
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[]}>} the ProjectDto list the caller may see, ordered by name
 */
export const listProjects = (query, signal) => request('GET', `${v1}/projects`, { query, signal });

/**
 * @param {{name:string, client_id?:string, color?:string, billable?:boolean, rate_cents?:number|null,
 *          currency?:string, member_ids?:string[], manager_ids?:string[]}} body the project
 * @returns {Promise<Object>} the new ProjectDto
 */
export const createProject = (body) => request('POST', `${v1}/projects`, { body });

/** @param {string} projectId project id @param {Object} body changed fields, plus `archived?` @returns {Promise<Object>} ProjectDto */
export const updateProject = (projectId, body) => request('PATCH', `${v1}/projects/${id(projectId)}`, { body });

/**
 * @param {string} projectId project id
 * @param {{scope:'project'|'member'|'task', user_id?:string, task_id?:string, from:string, rate_cents:number|null}[]} items
 *   every rate change the project keeps
 * @returns {Promise<Object>} the ProjectDto
 */
export const setProjectRates = (projectId, items) => request('PUT', `${v1}/projects/${id(projectId)}/rates`, { body: { items } });

/** @param {string} projectId project id @param {AbortSignal} [signal] @returns {Promise<Object>} all of its time against its budget and estimates */
export const getProjectBudget = (projectId, signal) => request('GET', `${v1}/projects/${id(projectId)}/budget`, { signal });

/**
 * @param {{from?:string, to?:string, user_id?:string, project_id?:string, client_id?:string, tag?:string,
 *          billable?:boolean, q?:string, limit?:number, cursor?:string}} query filters (dates YYYY-MM-DD) and paging
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[], next_cursor:string|null, total_seconds:number}>} a page of EntryDto, newest first
 */
export const listEntries = (query, signal) => request('GET', `${v1}/entries`, { query, signal });

/**
 * @param {{project_id:string, start:string, end:string, note?:string, tags?:string[], billable?:boolean}} body the entry
 * @returns {Promise<Object>} the new EntryDto
 */
export const createEntry = (body) => request('POST', `${v1}/entries`, { body });

/** @param {string} entryId entry id @param {Object} body changed fields @returns {Promise<Object>} EntryDto */
export const updateEntry = (entryId, body) => request('PATCH', `${v1}/entries/${id(entryId)}`, { body });

/** @param {string} entryId entry id @returns {Promise<null>} resolves on 204 */
export const deleteEntry = (entryId) => request('DELETE', `${v1}/entries/${id(entryId)}`);

/**
 * Options of the calls the outbox may replay (timer start and stop, quick-add).
 *
 * @typedef {Object} OnceOptions
 * @property {string} [key] `Idempotency-Key`: a retry with it is answered as the first attempt was
 * @property {string} [at] RFC 3339 instant the person acted at (default: when the server gets it)
 * @property {AbortSignal} [signal] abort signal (a timeout's abort counts as unreachable)
 */

/** `body` plus `at`, when there is one. */
const withAt = (body, at) => (at ? { ...body, at } : body);

/**
 * @param {{text:string, confirm?:boolean}} body one quick-add line (`confirm`: keep an unusual day)
 * @param {OnceOptions} [opts] idempotency key and when the line was typed (a duration ends then)
 * @returns {Promise<Object>} the new EntryDto
 */
export const quickAddEntry = (body, opts = {}) => request('POST', `${v1}/entries/quick`,
  { body: withAt(body, opts.at), key: opts.key, signal: opts.signal });

/**
 * @param {{ids:string[], add_tags?:string[], remove_tags?:string[], project_id?:string}} body what to change
 * @returns {Promise<{items:Object[]}>} the EntryDto that changed
 */
export const bulkUpdateEntries = (body) => request('POST', `${v1}/entries/bulk`, { body });

/** @param {string} entryId entry id @returns {Promise<{started:Object, stopped:Object|null}>} the new running entry */
export const continueEntry = (entryId) => request('POST', `${v1}/entries/${id(entryId)}/continue`);

/** @param {AbortSignal} [signal] @returns {Promise<{running:Object|null}>} the running EntryDto, if any */
export const getTimer = (signal) => request('GET', `${v1}/timer`, { signal });

/**
 * @param {{project_id:string, task_id?:string, note?:string, tags?:string[], billable?:boolean}} body what to track
 * @param {OnceOptions} [opts] idempotency key and when Start was pressed
 * @returns {Promise<{started:Object, stopped:Object|null}>} the running entry, and the one it stopped
 *   (409 timer.started_later when the running timer started after `at`)
 */
export const startTimer = (body, opts = {}) => request('POST', `${v1}/timer/start`,
  { body: withAt(body, opts.at), key: opts.key, signal: opts.signal });

/**
 * @param {OnceOptions} [opts] idempotency key and when Stop was pressed
 * @returns {Promise<Object>} the stopped EntryDto (409 timer.not_running when none runs,
 *   timer.started_later when it started after `at`)
 */
export const stopTimer = (opts = {}) => request('POST', `${v1}/timer/stop`,
  { query: { at: opts.at }, key: opts.key, signal: opts.signal });

/**
 * The time tracked in a range, summed and grouped (docs/api.md "Reports").
 *
 * @param {{from?:string, to?:string, group?:string, user_id?:string, project_id?:string, client_id?:string,
 *          tag?:string, billable?:boolean|string, q?:string}} query local dates YYYY-MM-DD (default: this
 *   week), up to two groupings and the id/tag filters comma-separated
 * @param {{signal?:AbortSignal}} [opts] abort signal
 * @returns {Promise<{from:string, to:string, time_zone:string, group:string[], total:Object, rows:Object[],
 *   days:Array<{date:string, seconds:number}>}>} the summary: totals, rows (nested for a second
 *   grouping) and the seconds of every day of the range
 */
export const getReportSummary = (query, opts = {}) => request('GET', `${v1}/reports/summary`, { query, signal: opts.signal });

/**
 * @param {Object} query the summary's filters (no grouping), plus `limit` and `cursor`
 * @param {{signal?:AbortSignal}} [opts] abort signal
 * @returns {Promise<{items:Object[], next_cursor:string|null, total:Object, overlapping_entries:number}>}
 *   a page of the entries behind the summary (EntryDto with `seconds`, `amount`, `overlaps`), newest first
 */
export const getReportDetailed = (query, opts = {}) => request('GET', `${v1}/reports/detailed`, { query, signal: opts.signal });

/**
 * @param {Object} query `week` (any date in it) and the summary's narrowing filters
 * @param {{signal?:AbortSignal}} [opts] abort signal
 * @returns {Promise<{from:string, to:string, rows:Object[], days:Object[], seconds:number}>} people × days
 */
export const getReportWeekly = (query, opts = {}) => request('GET', `${v1}/reports/weekly`, { query, signal: opts.signal });

// ---- The client portal (role client) ----

/**
 * @param {AbortSignal} [signal] abort
 * @returns {Promise<{client:{id:string, name:string}, show_rates:boolean, projects:Object[]}>} the
 *   client the account is linked to and its projects with their budgets and tasks
 *   (`409 portal.not_linked` for an account linked to none)
 */
export const getPortal = (signal) => request('GET', `${v1}/portal`, { signal });

/**
 * @param {{from:string, to:string, group:string}} query local dates YYYY-MM-DD and up to two
 *   groupings (project, task, user, day, week, month), comma-separated
 * @param {AbortSignal} [signal] abort
 * @returns {Promise<Object>} the hours on the client's projects: total, rows, days
 */
export const getPortalHours = (query, signal) => request('GET', `${v1}/portal/hours`, { query, signal });

/**
 * The URL of the same hours as a CSV download (for an `<a download>`: the cookie goes along).
 *
 * @param {{from:string, to:string, group:string}} query as for getPortalHours
 * @returns {string} the path with its query
 */
export const portalHoursCsvUrl = (query) => `${v1}/portal/hours.csv?${new URLSearchParams(query).toString().replaceAll('%2C', ',')}`;

/**
 * The URL of the portal's PDF timesheet for the range of `query` (its grouping does not apply).
 *
 * @param {{from?:string, to?:string}} query the hours' query
 * @returns {string} the path with its query
 */
export const portalTimesheetPdfUrl = ({ from, to }) => `${v1}/portal/hours.pdf?${new URLSearchParams({ from, to })}`;

/**
 * The URL of an export of time entries (docs/api.md, "Exports"), for downloadFile.
 *
 * @param {Object<string, string|boolean>} query format, from, to, filters (empty ones are left out)
 * @returns {string} the path with its query
 */
export function entriesExportUrl(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  return `${v1}/exports/entries?${params.toString().replaceAll('%2C', ',')}`;
}

/**
 * @param {AbortSignal} [signal] abort
 * @returns {Promise<Object>} the caller's dashboard (their week, the running timer, the team's week)
 */
export const getDashboard = (signal) => request('GET', `${v1}/dashboard`, { signal });

/** @param {AbortSignal} [signal] @returns {Promise<{items:Array<{name:string, entries:number}>}>} tags in use */
export const listTags = (signal) => request('GET', `${v1}/tags`, { signal });

/**
 * @param {AbortSignal} [signal] abort
 * @returns {Promise<{items:Array<{id:string, name:string, disabled:boolean}>}>} the people whose
 *   time the caller may read, by name
 */
export const listPeople = (signal) => request('GET', `${v1}/people`, { signal });

/** @param {{from:string, to:string}} body old and new name @returns {Promise<{entries_changed:number}>} count */
export const renameTag = (body) => request('POST', `${v1}/tags/rename`, { body });

/**
 * @param {string} projectId project id
 * @param {{archived?:boolean}} [query] include archived tasks
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<{items:Object[]}>} TaskDto list
 */
export const listTasks = (projectId, query, signal) => request('GET', `${v1}/projects/${id(projectId)}/tasks`, { query, signal });

/** @param {string} projectId project id @param {Object} body {title, description?, status?, assignee_id?, estimate_secs?} @returns {Promise<Object>} TaskDto */
export const createTask = (projectId, body) => request('POST', `${v1}/projects/${id(projectId)}/tasks`, { body });

/** @param {string} taskId task id @param {Object} body changed fields, plus `archived?` @returns {Promise<Object>} TaskDto */
export const updateTask = (taskId, body) => request('PATCH', `${v1}/tasks/${id(taskId)}`, { body });

/** @param {string} taskId task id @param {{text:string}} body the comment @returns {Promise<Object>} TaskDto */
export const addTaskComment = (taskId, body) => request('POST', `${v1}/tasks/${id(taskId)}/comments`, { body });

/** @param {{week?:string, user_id?:string}} [query] any day of the week, and whose (default: mine) @param {AbortSignal} [signal] @returns {Promise<Object>} the week grid */
export const getTimesheet = (query, signal) => request('GET', `${v1}/timesheet`, { query, signal });

/** @param {{project_id:string, task_id?:string, date:string, seconds:number, user_id?:string}} body the cell (`user_id`: a manager correcting that person) @returns {Promise<Object>} the updated week */
export const setTimesheetCell = (body) => request('PUT', `${v1}/timesheet/cell`, { body });

// ---- Week approval (docs/api.md "Week approval") ----

/** @param {{user_id?:string, from?:string, to?:string}} query whose weeks, which @param {AbortSignal} [signal] @returns {Promise<{items:Array<Object>}>} WeekDtos, newest first */
export const listWeeks = (query, signal) => request('GET', `${v1}/weeks`, { query, signal });

/** @param {string} date a day of the caller's week @param {{comment?:string}} body @returns {Promise<Object>} the WeekDto */
export const submitWeek = (date, body) => request('POST', `${v1}/weeks/${id(date)}/submit`, { body });

/**
 * Approve, reject or reopen a person's week.
 *
 * @param {string} userId whose week @param {string} date a day of it
 * @param {'approve'|'reject'|'reopen'} step what to do @param {Object} body `{comment}` or `{reason}`
 * @returns {Promise<Object>} the WeekDto
 */
export const decideWeek = (userId, date, step, body) => request('POST', `${v1}/weeks/${id(userId)}/${id(date)}/${step}`, { body });

/** @param {AbortSignal} [signal] @returns {Promise<{items:Array<Object>}>} submitted weeks the caller may decide on */
export const listApprovals = (signal) => request('GET', `${v1}/approvals`, { signal });

/** @param {{from?:string, to?:string}} query the range @param {AbortSignal} [signal] @returns {Promise<Object>} weeks not submitted */
export const listMissingWeeks = (query, signal) => request('GET', `${v1}/approvals/missing`, { query, signal });

// ---- System (docs/api.md "System"; admins only) ----

/** @param {AbortSignal} [signal] @returns {Promise<{time_zone:string, items:Object[]}>} every job, its schedule, next run and latest runs */
export const listJobs = (signal) => request('GET', `${v1}/jobs`, { signal });

/** @param {string} name job name, e.g. "backup" @returns {Promise<Object>} the started RunDto (409 job.running while it runs) */
export const runJob = (name) => request('POST', `${v1}/jobs/${id(name)}/run`);

/** @param {AbortSignal} [signal] @returns {Promise<Object>} version, uptime, sizes, record counts, HTTPS and the last backup */
export const getSystem = (signal) => request('GET', `${v1}/system`, { signal });

/**
 * Import another tracker's export (or an OphionTT JSON export): with `dry_run`, what it would
 * create and every row it cannot take; else the import itself, all rows or none
 * (`422 validation.failed` with one error per bad row, field `line N`).
 *
 * @param {{source:string, dry_run:boolean, time_zone?:string, user?:string}} query the tool
 *   (toggl, clockify, kimai, solidtime, ophiontt), dry run or not, the zone of the file's times,
 *   and the person every row belongs to (e-mail or id)
 * @param {Blob|ArrayBuffer} file the file, as the tool wrote it (at most 64 MiB)
 * @param {AbortSignal} [signal] abort signal
 * @returns {Promise<Object>} ImportReportDto
 */
export const importFile = (query, file, signal) => request('POST', `${v1}/imports`, { query, file, signal });

/**
 * Whether the signed-in user holds a capability (re-exported by capabilities.js, where views
 * import it from).
 *
 * @param {{capabilities?:string[]}|null} me the signed-in user, as /api/v1/me answered
 * @param {string} name e.g. "track_time", "manage_projects", "manage_users"
 * @returns {boolean} true when the server listed it
 */
export function has(me, name) {
  return Boolean(me && Array.isArray(me.capabilities) && me.capabilities.includes(name));
}
