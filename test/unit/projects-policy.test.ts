import { expect } from 'chai';
import type { CurrentUser } from '../../src/auth/current-user.js';
import type { Role } from '../../src/auth/roles.js';
import {
  canCreateProjects,
  canManageTeam,
  fieldsOutside,
  projectEditMode,
} from '../../src/modules/projects/projects.policy.js';
import {
  FORM_KEYS,
  GOVERNANCE_FIELDS,
  PM_FIELDS,
  projectSchemas,
} from '../../src/modules/projects/projects.schema.js';
import {
  programRollup,
  programRollupFromTotals,
  type ProjectFacts,
} from '../../src/modules/portfolio/portfolio.rules.js';
import { parseProjectListQuery } from '../../src/modules/portfolio/portfolio.schema.js';
import { FIELD_LABELS } from '../../src/modules/projects/projects.view-model.js';
import { translator } from '../../src/i18n/index.js';

const user = (role: Role, id = 1): CurrentUser => ({
  id,
  role,
  email: `${role}@x.test`,
  nameEn: role,
  nameAr: role,
  locale: 'en',
  active: true,
  sessionEpoch: 0,
  version: 1,
});

describe('projects policy and edit contract', () => {
  const project = { managerId: 7, sponsorId: 8 };

  it('gives PMO and admin every field, the project manager the PM fields, nobody else anything', () => {
    expect(projectEditMode(user('admin'), project)).to.equal('full');
    expect(projectEditMode(user('pmo'), project)).to.equal('full');
    expect(projectEditMode(user('pm', 7), project)).to.equal('pm');
    expect(projectEditMode(user('pm', 9), project)).to.equal(null);
    expect(projectEditMode(user('sponsor', 8), project)).to.equal(null);
    expect(projectEditMode(user('viewer'), project)).to.equal(null);
    expect(canManageTeam(user('pm', 7), project)).to.equal(true);
    expect(canManageTeam(user('sponsor', 8), project)).to.equal(false);
    expect(canCreateProjects(user('pmo'))).to.equal(true);
    expect(canCreateProjects(user('pm'))).to.equal(false);
  });

  it('never lets anyone write the phase, and keeps planned budget, sponsor and manager from the PM', () => {
    expect(GOVERNANCE_FIELDS as readonly string[]).to.not.include('phase');
    for (const f of [
      'budgetPlanned',
      'phase',
      'sponsorId',
      'managerId',
      'code',
      'programId',
      'plannedStart',
      'scope',
    ])
      expect(PM_FIELDS as readonly string[]).to.not.include(f);
    const body = { _csrf: 't', version: '3', descriptionEn: 'x', budgetPlanned: '1', phase: 'closed' };
    expect(fieldsOutside(body, PM_FIELDS, FORM_KEYS)).to.deep.equal(['budgetPlanned', 'phase']);
    expect(fieldsOutside(body, GOVERNANCE_FIELDS, FORM_KEYS)).to.deep.equal(['phase']);
  });

  it('labels every field in both languages', () => {
    for (const locale of ['en', 'ar'] as const) {
      const t = translator(locale);
      for (const key of Object.values(FIELD_LABELS)) expect(t(key), key).to.not.equal(key);
    }
    for (const f of [...GOVERNANCE_FIELDS, 'phase']) expect(FIELD_LABELS[f], f).to.be.a('string');
  });

  it('reads money exactly in minor units and checks date order', () => {
    const s = projectSchemas('BHD');
    const ok = s.pmUpdate.safeParse({
      budgetActual: '1,250,000.125',
      reportFrequency: 'weekly',
      version: '2',
    });
    expect(ok.success && ok.data.budgetActual).to.equal(1_250_000_125);
    expect(
      s.pmUpdate.safeParse({ budgetActual: '1.2345', reportFrequency: 'weekly', version: '2' }).success,
    ).to.equal(false);
    const backwards = s.pmUpdate.safeParse({
      budgetActual: '1',
      reportFrequency: 'weekly',
      version: '1',
      actualStart: '2026-05-01',
      actualEnd: '2026-04-01',
    });
    expect(backwards.success).to.equal(false);
    expect(projectSchemas('BHD')).to.equal(s);
  });
});

describe('portfolio list query and roll-ups from totals', () => {
  it('ignores invalid filter values', () => {
    const q = parseProjectListQuery({
      phase: 'x',
      health: ['red', 'amber'],
      program: '0',
      page: 'two',
      q: '  cloud ',
    });
    expect(q).to.deep.include({
      phase: undefined,
      health: undefined,
      program: undefined,
      page: 1,
      q: 'cloud',
    });
    expect(parseProjectListQuery({ sort: 'budget', dir: 'desc', status: 'on_hold' })).to.deep.include({
      sort: 'budget',
      dir: 'desc',
      status: 'on_hold',
    });
  });

  it('gives the same roll-up from SQL sums as from the projects themselves', () => {
    const cases: ProjectFacts[][] = [
      [],
      [
        { progressPct: 50, budgetPlanned: 300, budgetActual: 100, health: 'green' },
        { progressPct: 10, budgetPlanned: 100, budgetActual: 150, health: 'red' },
      ],
      [
        { progressPct: 40, budgetPlanned: 0, budgetActual: 0, health: 'amber' },
        { progressPct: 80, budgetPlanned: 0, budgetActual: 5, health: 'green' },
      ],
    ];
    for (const projects of cases) {
      const totals = {
        projects: projects.length,
        budgetPlanned: projects.reduce((s, p) => s + p.budgetPlanned, 0),
        budgetActual: projects.reduce((s, p) => s + p.budgetActual, 0),
        progressTimesBudget: projects.reduce((s, p) => s + p.progressPct * p.budgetPlanned, 0),
        progressSum: projects.reduce((s, p) => s + p.progressPct, 0),
        green: projects.filter((p) => p.health === 'green').length,
        amber: projects.filter((p) => p.health === 'amber').length,
        red: projects.filter((p) => p.health === 'red').length,
      };
      expect(programRollupFromTotals(totals)).to.deep.equal(programRollup(projects));
    }
  });
});
