/**
 * The Settings page: the group's review, points, levels, likes and reminder settings as forms (one per section).
 * Saving runs the chat commands' use cases for the changed fields (core/dashboard/settings-forms.ts), so values are
 * checked and refused with the chat's words and audited with who changed them; the latest changes are listed.
 */
import { recentChanges, saveSettingsSection, settingsForms, SETTINGS_SECTIONS, SettingsRefusal, type SettingsField, type SettingsSection, type SettingsSectionName } from '../../../core/dashboard/settings-forms.js';
import { UserError } from '../../../core/errors.js';
import { t, type MessageKey } from '../../../core/i18n/translate.js';
import { formatDateTime } from '../../../core/time/parse-when.js';
import { explain, flash, loadFlash, takeFlash, type DashboardApp, type DashboardDeps, type GroupViewer } from '../app.js';
import { csrfField, groupPath, html, page, w, type Html } from '../html.js';

const TITLES: Record<SettingsSectionName, MessageKey> = {
  reviews: 'web.settings.reviews', points: 'web.settings.points', levels: 'web.settings.levels', likes: 'web.settings.likes', reminders: 'web.settings.reminders',
};
/** The chat command each section stands for (the actor's "command" in logs). */
const COMMANDS: Record<SettingsSectionName, string> = { reviews: 'reviewconfig', points: 'pointrules', levels: 'levels', likes: 'likeconfig', reminders: 'product' };

/** A refused form, shown again with what was typed. */
interface Refused {
  section: SettingsSectionName;
  field?: string;
  message: string;
  submitted: Record<string, string>;
}

export function settingsRoutes(app: DashboardApp, deps: DashboardDeps): void {
  app.get('/g/:gid/settings', async (c) => {
    const viewer = c.get('viewer');
    return c.html(await settingsPage(deps, viewer));
  });

  app.get('/g/:gid/api/settings', async (c) => {
    const viewer = c.get('viewer');
    return c.json({ sections: await settingsForms(deps.store, viewer.group, viewer.lang), changes: await recentChanges(deps.store, viewer.groupId) });
  });

  app.post('/g/:gid/settings/:section', async (c) => {
    const viewer = c.get('viewer');
    const section = c.req.param('section') as SettingsSectionName;
    if (!SETTINGS_SECTIONS.includes(section)) return c.notFound();
    const body = await c.req.parseBody();
    const submitted = Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== '_csrf'));
    const result = await save(deps, viewer, section, submitted);
    if (result.ok) {
      await flash(deps, viewer, true, w(viewer.lang, result.changed ? 'web.settings.saved' : 'web.settings.unchanged'));
      return c.redirect(`${groupPath(viewer.groupId, 'settings')}#${section}`, 303);
    }
    return c.html(await settingsPage(deps, viewer, { section, submitted, ...result.refused }), result.status);
  });

  // The same as the form, for scripts: `{ "delay": "5d" }` with the X-CSRF-Token header.
  app.post('/g/:gid/api/settings/:section', async (c) => {
    const viewer = c.get('viewer');
    const section = c.req.param('section') as SettingsSectionName;
    if (!SETTINGS_SECTIONS.includes(section)) return c.notFound();
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    const submitted = Object.fromEntries(Object.entries(body).map(([k, v]) => [k, String(v)]));
    const result = await save(deps, viewer, section, submitted);
    return result.ok ? c.json({ ok: true, changed: result.changed }) : c.json({ ok: false, field: result.refused.field, error: result.refused.message }, result.status);
  });
}

async function save(
  deps: DashboardDeps, viewer: GroupViewer, section: SettingsSectionName, submitted: Record<string, string>,
): Promise<{ ok: true; changed: number } | { ok: false; status: 400 | 403 | 500; refused: { field?: string; message: string } }> {
  try {
    const acting = { memberId: viewer.member.id, groupId: viewer.groupId, chatId: viewer.chatId, lang: viewer.lang, requires: 'admin' as const, command: COMMANDS[section] };
    const { value } = await deps.core.actAs(acting, (ctx) => saveSettingsSection(ctx, section, submitted));
    return { ok: true, changed: value };
  } catch (error) {
    if (error instanceof SettingsRefusal) return { ok: false, status: 400, refused: { field: error.field, message: explain(deps, viewer, error.refusal) } };
    return { ok: false, status: error instanceof UserError ? 403 : 500, refused: { message: explain(deps, viewer, error) } };
  }
}

async function settingsPage(deps: DashboardDeps, viewer: GroupViewer, refused?: Refused): Promise<Html> {
  const { lang } = viewer;
  const sections = await settingsForms(deps.store, viewer.group, lang);
  const changes = await recentChanges(deps.store, viewer.groupId);
  await loadFlash(deps, viewer);
  const message = takeFlash(viewer);
  const content = html`
${message ? html`<p class="flash ${message.ok ? 'ok' : 'error'}" role="status">${message.text}</p>` : ''}
${viewer.role !== 'admin' ? html`<p>${w(lang, 'web.settings.admins_only')}</p>` : ''}
${sections.map((s) => sectionForm(viewer, s, refused?.section === s.name ? refused : undefined))}
<h2>${w(lang, 'web.settings.audit')}</h2>
${changes.length === 0 ? html`<p>${w(lang, 'web.settings.audit_none')}</p>` : html`<ul class="audit">${changes.map(
    (c) => html`<li>${w(lang, 'web.settings.audit_line', { when: formatDateTime(c.at, viewer.group.timeZone), who: c.actorName, action: `${c.action} ${c.detail}`.trim() })}</li>`,
  )}</ul>`}`;
  return page(viewer, 'settings', w(lang, 'web.settings.title'), content);
}

function sectionForm(viewer: GroupViewer, section: SettingsSection, refused: Refused | undefined): Html {
  const { lang } = viewer;
  const admin = viewer.role === 'admin';
  const value = (f: SettingsField) => refused?.submitted[f.name] ?? f.value;
  const input = (f: SettingsField) => {
    const invalid = refused?.field === f.name ? html` aria-invalid="true" class="invalid"` : '';
    const disabled = admin ? '' : html` disabled`;
    if (f.choices) {
      return html`<select name="${f.name}"${invalid}${disabled}>${f.choices.map((c) => html`<option value="${c.value}"${c.value === value(f) ? html` selected` : ''}>${c.label}</option>`)}</select>`;
    }
    return html`<input name="${f.name}" value="${value(f)}" size="10"${invalid}${disabled}>`;
  };
  const plain = section.fields.filter((f) => !f.row);
  const rows = [...new Set(section.fields.filter((f) => f.row).map((f) => f.row!))];
  // Columns in the order of the fullest row (V1 has only a perk; V2-V4 have spend and orders first).
  const fullest = rows.map((row) => section.fields.filter((f) => f.row === row)).sort((a, b) => b.length - a.length)[0] ?? [];
  const columns = [...new Set([...fullest, ...section.fields.filter((f) => f.row)].map((f) => f.label))];
  const table = rows.length
    ? html`<table><thead><tr><th></th>${columns.map((c) => html`<th>${c}</th>`)}</tr></thead><tbody>${rows.map(
        (row) => html`<tr><th scope="row">${row}</th>${columns.map((label) => {
          const f = section.fields.find((x) => x.row === row && x.label === label);
          return html`<td>${f ? html`<label><span class="sr">${row} · ${label}</span>${input(f)}</label>` : ''}</td>`;
        })}</tr>`,
      )}</tbody></table>`
    : '';
  const empty = section.name === 'reminders' && section.fields.length === 0;
  const refusedField = section.fields.find((f) => f.name === refused?.field);
  const refusedLabel = refusedField ? `${refusedField.row ? `${refusedField.row} · ` : ''}${refusedField.label}` : '';
  return html`<form method="post" action="${groupPath(viewer.groupId, `settings/${section.name}`)}" id="${section.name}" class="settings">
${csrfField(viewer.csrf)}
<fieldset><legend>${t(lang, TITLES[section.name] as 'web.settings.reviews')}</legend>
${refused ? html`<p class="error-text" role="alert">${refusedLabel ? html`${w(lang, 'web.settings.refused', { field: refusedLabel })} ` : ''}${refused.message}</p>` : ''}
${empty ? html`<p>${w(lang, 'web.settings.products_none')}</p>` : ''}
${table}
${plain.map((f) => html`<label>${f.label} ${input(f)}</label>`)}
${admin && !empty ? html`<p><button>${w(lang, 'web.settings.save')}</button></p>` : ''}
</fieldset>
</form>`;
}
