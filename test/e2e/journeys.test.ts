import fs from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { pick } from '../../src/i18n/locales.js';
import { modules } from '../../src/modules/registry.js';
import { popplerText } from '../helpers/pdf-text.js';
import { signedIn, type Session } from './support/browser.js';
import { exact, LOCALES, words } from './support/i18n.js';
import { smallPdf } from './support/pdf.js';
import { startApp, type RunningApp } from './support/server.js';

/**
 * The governance journey of Masar, in a real browser, in English and in Arabic, each on a fresh
 * demo database: the project manager of DST-06 (in initiation) updates a milestone, submits a
 * status report and uploads the project charter for approval; the PMO approves the charter; the
 * PM submits the gate request that needs it; the PMO approves the first step and the sponsor the
 * last, moving the project to planning; the sponsor downloads the portfolio PDF, which shows it.
 */

const CODE = 'DST-06';
const tabs = modules.flatMap((m) => m.projectTabs ?? []);

interface ProjectRow {
  id: number;
  name_en: string;
  name_ar: string;
  phase: string;
}

for (const locale of LOCALES) {
  describe(`governance journey (${locale})`, function () {
    let app: RunningApp;
    let project: ProjectRow;
    const sessions: Session[] = [];
    const as = async (email: string) => {
      const s = await signedIn(app.url, locale, email);
      sessions.push(s);
      return s;
    };
    const name = () => pick(locale, project.name_ar, project.name_en);

    /** Opens the project from the portfolio list and then one of its tabs, by their labels. */
    async function openProjectTab(s: Session, key: string): Promise<void> {
      await s.goto(`/portfolio?q=${CODE}`);
      await s.page.getByRole('link', { name: name(), exact: true }).first().click();
      await s.page.waitForURL((u) => u.pathname === `/projects/${project.id}`);
      const tab = tabs.find((t) => t.key === key);
      expect(tab, `project tab ${key}`).to.not.equal(undefined);
      // the tabs are in the page's main area (the navigation bar may have a link of the same name)
      await s.page
        .getByRole('main')
        .getByRole('link', { name: s.t(tab!.label), exact: true })
        .first()
        .click();
      await s.page.waitForURL((u) => u.pathname === `/projects/${project.id}${tab!.path}`);
    }

    /** Opens a request from the approvals inbox and decides its current step. */
    async function approveFromInbox(s: Session, requestId: number, comment: string): Promise<void> {
      const req = await app.db('approval_requests').where({ id: requestId }).first();
      await s.goto('/approvals');
      // the request's row in the inbox: its project's code and its title (several projects may
      // have a request of the same title)
      await s.page
        .getByRole('row')
        .filter({ hasText: CODE })
        .getByRole('link', { name: pick(locale, req.title_ar, req.title_en), exact: true })
        .click();
      await s.page.waitForURL((u) => u.pathname === `/approvals/${requestId}`);
      const box = s.page.getByRole('region', { name: s.t('approvals:request.decide') });
      await box.getByLabel(s.t('approvals:decision.approve'), { exact: true }).check();
      await box.getByLabel(exact(s.t('approvals:fields.comment'))).fill(comment);
      await box.getByRole('button', { name: s.t('common:actions.submit'), exact: true }).click();
      await s.page.getByText(s.t('approvals:decided.approve')).first().waitFor();
    }

    const flash = (page: Page, text: string) => page.getByText(text, { exact: false }).first().waitFor();

    before(async () => {
      app = await startApp();
      project = await app.db('projects').where({ code: CODE }).first('id', 'name_en', 'name_ar', 'phase');
      expect(project.phase).to.equal('initiation');
    });
    after(async () => {
      for (const s of sessions) await s.close();
      await app?.close();
    });

    let pm: Session;
    let charterRequestId: number;
    let gateRequestId: number;

    it('the PM updates a milestone: progress and a note', async () => {
      pm = await as('pm@masar.test');
      await openProjectTab(pm, 'milestones');
      const m = await app
        .db('milestones')
        .where({ project_id: project.id })
        .whereNotIn('status', ['completed', 'cancelled'])
        .orderBy('planned_date')
        .first();
      const title = pick(locale, m.title_ar, m.title_en);
      await pm.page.getByRole('link', { name: words(pm.t('milestones:updateShort'), ':', title) }).click();
      await pm.page.getByLabel(exact(pm.t('milestones:fields.status'))).selectOption('in_progress');
      await pm.page.getByLabel(exact(pm.t('milestones:fields.percentComplete'))).fill('65');
      const note =
        locale === 'ar'
          ? 'اكتملت مسودة الميثاق وأرسلت للمراجعة.'
          : 'Charter draft complete and sent for review.';
      await pm.page.getByLabel(exact(pm.t('milestones:fields.note'))).fill(note);
      await pm.page.getByRole('button', { name: pm.t('common:actions.save'), exact: true }).click();
      await flash(pm.page, pm.t('milestones:progressSaved'));
      const after = await app.db('milestones').where({ id: m.id }).first();
      expect(after.percent_complete).to.equal(65);
      expect(after.status).to.equal('in_progress');
      const update = await app
        .db('milestone_updates')
        .where({ milestone_id: m.id })
        .orderBy('id', 'desc')
        .first();
      expect(update.note).to.equal(note);
    });

    it('the PM submits a status report', async () => {
      await openProjectTab(pm, 'status-reports');
      const before = Number(
        (await app.db('status_reports').where({ project_id: project.id }).count({ n: '*' }))[0].n,
      );
      await pm.page.getByRole('link', { name: pm.t('statusReports:new'), exact: true }).click();
      for (const [field, rag] of [
        ['overallRag', 'amber'],
        ['scheduleRag', 'amber'],
        ['budgetRag', 'green'],
        ['scopeRag', 'green'],
        ['riskRag', 'green'],
      ]) {
        const group = pm.page.getByRole('group', { name: exact(pm.t(`statusReports:fields.${field}`)) });
        await group.getByLabel(pm.t(`common:health.${rag}`), { exact: true }).check();
      }
      const summary =
        locale === 'ar'
          ? 'تمت صياغة ميثاق المشروع، وبانتظار اعتماد بوابة الانتقال إلى التخطيط.'
          : 'Project charter drafted; awaiting the gate into planning.';
      await pm.page.getByLabel(exact(pm.t('statusReports:fields.summary'))).fill(summary);
      await pm.page.getByRole('button', { name: pm.t('common:actions.submit'), exact: true }).click();
      await flash(pm.page, pm.t('statusReports:submitted'));
      const rows = await app.db('status_reports').where({ project_id: project.id }).orderBy('id', 'desc');
      expect(rows.length).to.equal(before + 1);
      expect(rows[0].summary).to.equal(summary);
      expect(rows[0].overall_rag).to.equal('amber');
    });

    it('the PM uploads the project charter (a PDF) and submits it for approval', async () => {
      await openProjectTab(pm, 'documents');
      await pm.page.getByRole('link', { name: pm.t('documents:uploadAction'), exact: true }).click();
      await pm.page.getByLabel(exact(pm.t('documents:categoryLabel'))).selectOption('charter');
      await pm.page
        .getByLabel(exact(pm.t('documents:fields.titleEn')))
        .fill('Project charter — e-forms platform');
      await pm.page
        .getByLabel(exact(pm.t('documents:fields.titleAr')))
        .fill('ميثاق مشروع منصة النماذج الإلكترونية');
      const pdf = await smallPdf([`Project charter ${CODE}`, 'Scope, objectives, budget and governance.']);
      await pm.page
        .getByLabel(exact(pm.t('documents:fields.files')))
        .setInputFiles({ name: 'charter.pdf', mimeType: 'application/pdf', buffer: pdf });
      await pm.page.getByLabel(pm.t('documents:fields.submitForApproval'), { exact: true }).check();
      await pm.page.getByRole('button', { name: pm.t('documents:upload.send'), exact: true }).click();
      await pm.page.waitForURL((u) => /\/documents\/\d+$/.test(u.pathname));
      const doc = await app
        .db('documents')
        .where({ project_id: project.id, category: 'charter' })
        .orderBy('id', 'desc')
        .first();
      expect(doc, 'charter document').to.not.equal(undefined);
      await pm.page
        .getByRole('heading', { name: pick(locale, doc.title_ar, doc.title_en) })
        .first()
        .waitFor();
      const version = await app.db('document_versions').where({ id: doc.current_version_id }).first();
      expect(Number(version.size_bytes)).to.equal(pdf.length);
      expect(version.media_type).to.equal('application/pdf');
      const req = await app
        .db('approval_requests')
        .where({ kind: 'document', subject_type: 'document_version', subject_id: version.id })
        .first();
      expect(req?.status).to.equal('pending');
      charterRequestId = req.id;
    });

    it('the PMO approves the charter from the approvals inbox', async () => {
      const pmo = await as('pmo@masar.test');
      await approveFromInbox(
        pmo,
        charterRequestId,
        locale === 'ar' ? 'الميثاق مكتمل.' : 'Charter is complete.',
      );
      expect((await app.db('approval_requests').where({ id: charterRequestId }).first()).status).to.equal(
        'approved',
      );
    });

    it('the PM submits the gate request, its criterion (the approved charter) now met', async () => {
      await openProjectTab(pm, 'approvals');
      await pm.page.getByRole('link', { name: pm.t('approvals:newRequest.gate'), exact: true }).click();
      await pm.page.getByText(pm.t('approvals:criteria.met')).first().waitFor();
      expect(await pm.page.getByText(pm.t('approvals:criteria.unmet')).count()).to.equal(0);
      await pm.page
        .getByLabel(exact(pm.t('approvals:fields.note')))
        .fill(locale === 'ar' ? 'الميثاق معتمد؛ جاهزون للتخطيط.' : 'Charter approved; ready for planning.');
      await pm.page.getByRole('button', { name: pm.t('approvals:newRequest.submit'), exact: true }).click();
      await flash(pm.page, pm.t('approvals:newRequest.submitted'));
      const req = await app
        .db('approval_requests')
        .where({ project_id: project.id, kind: 'gate' })
        .orderBy('id', 'desc')
        .first();
      expect(req.status).to.equal('pending');
      gateRequestId = req.id;
    });

    it('the PMO approves the first step of the gate', async () => {
      const pmo = await as('pmo@masar.test');
      await approveFromInbox(
        pmo,
        gateRequestId,
        locale === 'ar' ? 'موصى به للراعي.' : 'Recommended to the sponsor.',
      );
      const req = await app.db('approval_requests').where({ id: gateRequestId }).first();
      expect(req.status).to.equal('pending');
      expect(req.current_step).to.equal(2);
    });

    it('the sponsor gives the final approval: the project moves to planning', async () => {
      const sponsor = await as('sponsor@masar.test');
      await approveFromInbox(sponsor, gateRequestId, locale === 'ar' ? 'موافق.' : 'Approved.');
      expect((await app.db('approval_requests').where({ id: gateRequestId }).first()).status).to.equal(
        'approved',
      );
      expect((await app.db('projects').where({ id: project.id }).first()).phase).to.equal('planning');
      await sponsor.goto(`/projects/${project.id}`);
      await sponsor.page.getByText(sponsor.t('common:phase.planning'), { exact: true }).first().waitFor();
    });

    it('the sponsor downloads the portfolio PDF from the report center', async () => {
      const sponsor = await as('sponsor@masar.test');
      await sponsor.goto('/reports');
      await sponsor.page.getByLabel(sponsor.t('reports:center.scopePortfolio'), { exact: true }).check();
      await sponsor.page.getByLabel(exact(sponsor.t('reports:center.language'))).selectOption(locale);
      const [download] = await Promise.all([
        sponsor.page.waitForEvent('download'),
        sponsor.page.getByRole('button', { name: sponsor.t('reports:center.download'), exact: true }).click(),
      ]);
      const bytes = fs.readFileSync((await download.path())!);
      expect(bytes.subarray(0, 5).toString('latin1')).to.equal('%PDF-');
      expect(download.suggestedFilename()).to.match(/\.pdf$/);
      const text = popplerText(bytes).replace(/\s+/g, ' ');
      expect(text).to.contain(sponsor.t('reports:portfolio.title'));
      expect(text).to.contain(CODE);
      expect(text).to.contain(name());
      // the sponsor's portfolio: DST and GOV, not a program they do not sponsor
      expect(text).to.not.contain('CAP-01');
    });
  });
}
