import type { Knex } from 'knex';

/**
 * Dashboard counters kept by the database, so that the role dashboards read a few small rows
 * instead of aggregating the whole portfolio on every visit. Triggers keep them in the same
 * transaction as the change, whatever wrote it (use cases, the hourly health refresh, seeds,
 * generators, bulk loads): no write path can forget them.
 *
 * - portfolio_totals: projects, budgets, late milestones, progress sums and budget overruns per
 *   (health, phase, status) — the groups the portfolio-health card showed.
 * - milestone_open_days: open milestones per planned date, and those whose forecast slipped past
 *   their planned date: the late milestones of any day are a sum over dates.
 * - approval_request_counts: requests per status.
 * - approval_due_days: pending steps per due day: overdue steps are a sum over days before today
 *   plus today's steps already due.
 * - paper_saved_months: document versions, their PDF pages and decided approvals per month.
 * - project_report_dues: each project that owes status reports (active, not closed), with the end
 *   of its latest reported period and `due_from`, the first day on which a period ending that day
 *   would make it overdue (the day after its latest period, or its start if later).
 * - approval_cycle_times / approval_cycle_groups: one row per decided request and decided step with
 *   its cycle time, grouped as the governance metrics group them (kind; kind, step and name). Each
 *   group keeps its count and pointers to its median and 90th-percentile rows (the rows at ranks
 *   ⌊(n−1)·0.5⌋ and ⌊(n−1)·0.9⌋ in (cycle, id) order), moved one step along an index when a row
 *   joins or leaves the group, so a quantile is read, never sorted. A row leaves its group when it
 *   falls out of the metrics' window (in_window = 0, set by the dashboard's refresher).
 *
 * Counts and sums are kept by ± deltas (exact for integers; progress sums are floats whose drift
 * is far below what the dashboard shows). On PostgreSQL a quantile group is locked before its
 * pointers move, so that the statement that moves them sees other transactions' committed rows.
 */

type Dialect = 'sqlite' | 'pg';

/** Rows of `source` add `values` to the row of `table` named by `keys` when `when` holds ($ = the row). */
interface Deltas {
  table: string;
  keys: Record<string, string>;
  values: Record<string, string>;
  when: string;
  /** The row is deleted when this column reaches 0. */
  dropAtZero?: string;
}

/** What a source row's triggers do: statements for the row that goes (OLD) and the row that comes (NEW). */
interface Concern {
  name: string;
  source: string;
  /** Updates of these columns (when one of them changes) remove the old row and add the new one. */
  watch: string[];
  remove(row: 'OLD'): string[];
  add(row: 'NEW'): string[];
}

const OPEN_MILESTONE = "$.status IN ('not_started', 'in_progress')";
const DECIDED_REQUEST = "$.status IN ('approved', 'rejected') AND $.decided_at IS NOT NULL";
const DECIDED_STEP =
  "$.status IN ('approved', 'rejected', 'returned') AND $.decided_at IS NOT NULL AND $.started_at IS NOT NULL";

const at = (expr: string, row: string) => expr.replace(/\$\./g, `${row}.`);

function deltaStatements(d: Deltas, row: string, sign: '+' | '-'): string[] {
  const keys = Object.keys(d.keys);
  const values = Object.keys(d.values);
  const when = at(d.when, row);
  if (sign === '+')
    return [
      `INSERT INTO ${d.table} (${[...keys, ...values].join(', ')})
        SELECT ${[...keys.map((k) => at(d.keys[k], row)), ...values.map((v) => at(d.values[v], row))].join(', ')}
        WHERE ${when}
        ON CONFLICT (${keys.join(', ')}) DO UPDATE SET
        ${values.map((v) => `${v} = ${d.table}.${v} + excluded.${v}`).join(', ')}`,
    ];
  const match = keys.map((k) => `${k} = ${at(d.keys[k], row)}`).join(' AND ');
  const out = [
    `UPDATE ${d.table} SET ${values.map((v) => `${v} = ${v} - (${at(d.values[v], row)})`).join(', ')}
      WHERE ${match} AND (${when})`,
  ];
  if (d.dropAtZero) out.push(`DELETE FROM ${d.table} WHERE ${match} AND ${d.dropAtZero} = 0`);
  return out;
}

function deltaConcern(name: string, source: string, watch: string[], deltas: Deltas[]): Concern {
  return {
    name,
    source,
    watch,
    remove: (row) => deltas.flatMap((d) => deltaStatements(d, row, '-')),
    add: (row) => deltas.flatMap((d) => deltaStatements(d, row, '+')),
  };
}

/** SQL that differs between the two databases. */
function dialectSql(dialect: Dialect) {
  const pg = dialect === 'pg';
  return {
    /** Whole milliseconds from one ISO timestamp to another, never negative. */
    cycleMs: (from: string, to: string) =>
      pg
        ? `greatest(0, round(extract(epoch from (${to}::timestamptz - ${from}::timestamptz)) * 1000)::bigint)`
        : `max(0, CAST(round((julianday(${to}) - julianday(${from})) * 86400000.0) AS INTEGER))`,
    dayAfter: (day: string) => (pg ? `to_char(${day}::date + 1, 'YYYY-MM-DD')` : `date(${day}, '+1 day')`),
    greatest: (a: string, b: string) => (pg ? `greatest(${a}, ${b})` : `max(${a}, ${b})`),
    /** ⌊(count − 1) · q⌋, computed in binary floating point exactly as approvals.metrics does. */
    rank: (q: 'med' | 'p90', count: string) =>
      q === 'med'
        ? `((${count}) - 1) / 2`
        : pg
          ? `floor(((${count}) - 1)::float8 * 0.9)::integer`
          : `CAST(((${count}) - 1) * 0.9 AS INTEGER)`,
  };
}

function concerns(dialect: Dialect): Concern[] {
  const sql = dialectSql(dialect);

  const reportDues = (projectId: string) => [
    `DELETE FROM project_report_dues WHERE project_id = ${projectId}`,
    `INSERT INTO project_report_dues (project_id, frequency, last_end, due_from)
      SELECT p.id, p.report_frequency, coalesce(r.last_end, ''),
        ${sql.greatest(`coalesce(${sql.dayAfter('r.last_end')}, '')`, "coalesce(p.actual_start, p.planned_start, '')")}
      FROM projects p, (SELECT max(period_end) AS last_end FROM status_reports WHERE project_id = ${projectId}) r
      WHERE p.id = ${projectId} AND p.status = 'active' AND p.phase <> 'closed'`,
  ];

  return [
    deltaConcern(
      'dashboard_projects_totals',
      'projects',
      ['health', 'phase', 'status', 'budget_planned', 'budget_actual', 'late_milestones', 'progress_pct'],
      [
        {
          table: 'portfolio_totals',
          keys: { health: '$.health', phase: '$.phase', status: '$.status' },
          values: {
            projects: '1',
            budget_planned: '$.budget_planned',
            budget_actual: '$.budget_actual',
            late_milestones: '$.late_milestones',
            progress_sum: 'CAST($.progress_pct AS DOUBLE PRECISION)',
            progress_budget: 'CAST($.progress_pct AS DOUBLE PRECISION) * $.budget_planned',
            overruns: 'CASE WHEN $.budget_actual > $.budget_planned THEN 1 ELSE 0 END',
          },
          when: '1 = 1',
          dropAtZero: 'projects',
        },
      ],
    ),
    {
      name: 'dashboard_projects_report_dues',
      source: 'projects',
      watch: ['status', 'phase', 'report_frequency', 'planned_start', 'actual_start'],
      remove: (row) => reportDues(`${row}.id`),
      add: (row) => reportDues(`${row}.id`),
    },
    {
      name: 'dashboard_status_reports_dues',
      source: 'status_reports',
      watch: ['project_id', 'period_end'],
      remove: (row) => reportDues(`${row}.project_id`),
      add: (row) => reportDues(`${row}.project_id`),
    },
    deltaConcern(
      'dashboard_milestones_days',
      'milestones',
      ['status', 'planned_date', 'forecast_date'],
      [
        {
          table: 'milestone_open_days',
          keys: { planned_date: '$.planned_date' },
          values: {
            open_n: '1',
            slipped_n:
              'CASE WHEN $.forecast_date IS NOT NULL AND $.forecast_date > $.planned_date THEN 1 ELSE 0 END',
          },
          when: OPEN_MILESTONE,
          dropAtZero: 'open_n',
        },
      ],
    ),
    deltaConcern(
      'dashboard_approval_requests_counts',
      'approval_requests',
      ['status', 'decided_at'],
      [
        { table: 'approval_request_counts', keys: { status: '$.status' }, values: { n: '1' }, when: '1 = 1' },
        {
          table: 'paper_saved_months',
          keys: { month: 'substr($.decided_at, 1, 7)' },
          values: { approvals: '1' },
          when: DECIDED_REQUEST,
        },
      ],
    ),
    deltaConcern(
      'dashboard_approval_steps_due',
      'approval_steps',
      ['status', 'due_at'],
      [
        {
          table: 'approval_due_days',
          keys: { due_day: 'substr($.due_at, 1, 10)' },
          values: { n: '1' },
          when: "$.status = 'pending' AND $.due_at IS NOT NULL",
          dropAtZero: 'n',
        },
      ],
    ),
    deltaConcern(
      'dashboard_document_versions_paper',
      'document_versions',
      ['uploaded_at', 'page_count'],
      [
        {
          table: 'paper_saved_months',
          keys: { month: 'substr($.uploaded_at, 1, 7)' },
          values: { files: '1', pages: 'coalesce($.page_count, 0)' },
          when: '1 = 1',
        },
      ],
    ),
    {
      name: 'dashboard_approval_requests_cycle',
      source: 'approval_requests',
      watch: ['status', 'decided_at', 'submitted_at', 'kind'],
      remove: (row) => [`DELETE FROM approval_cycle_times WHERE source = 'r' AND source_id = ${row}.id`],
      add: (row) => {
        const decided = at(DECIDED_REQUEST, row);
        const cycle = sql.cycleMs(`${row}.submitted_at`, `${row}.decided_at`);
        return [
          `INSERT INTO approval_cycle_groups (kind, step_no, name_en, name_ar)
            SELECT ${row}.kind, 0, '', '' WHERE ${decided}
            ON CONFLICT (kind, step_no, name_en) DO NOTHING`,
          `INSERT INTO approval_cycle_times (source, source_id, group_id, decided_at, cycle_ms, within_sla)
            SELECT 'r', ${row}.id, g.id, ${row}.decided_at, ${cycle}, 0
            FROM approval_cycle_groups g
            WHERE g.kind = ${row}.kind AND g.step_no = 0 AND g.name_en = '' AND ${decided} AND ${cycle} IS NOT NULL`,
        ];
      },
    },
    {
      name: 'dashboard_approval_steps_cycle',
      source: 'approval_steps',
      watch: ['status', 'decided_at', 'started_at', 'due_at', 'step_no', 'name_en', 'request_id'],
      remove: (row) => [`DELETE FROM approval_cycle_times WHERE source = 's' AND source_id = ${row}.id`],
      add: (row) => {
        const decided = at(DECIDED_STEP, row);
        const cycle = sql.cycleMs(`${row}.started_at`, `${row}.decided_at`);
        return [
          `INSERT INTO approval_cycle_groups (kind, step_no, name_en, name_ar)
            SELECT r.kind, ${row}.step_no, ${row}.name_en, ${row}.name_ar
            FROM approval_requests r WHERE r.id = ${row}.request_id AND ${decided}
            ON CONFLICT (kind, step_no, name_en) DO NOTHING`,
          `INSERT INTO approval_cycle_times (source, source_id, group_id, decided_at, cycle_ms, within_sla)
            SELECT 's', ${row}.id, g.id, ${row}.decided_at, ${cycle},
              CASE WHEN ${row}.due_at IS NULL OR ${row}.decided_at <= ${row}.due_at THEN 1 ELSE 0 END
            FROM approval_requests r
            JOIN approval_cycle_groups g ON g.kind = r.kind AND g.step_no = ${row}.step_no AND g.name_en = ${row}.name_en
            WHERE r.id = ${row}.request_id AND ${decided} AND ${cycle} IS NOT NULL`,
        ];
      },
    },
  ];
}

/**
 * The statements that keep a quantile group's count and pointers when a row (R = NEW or OLD)
 * joins (+) or leaves (−) it. A pointer at rank r stays, or moves to its neighbour in
 * (cycle_ms, id) order, so that it is at the new rank; the neighbour is one index seek.
 */
function quantileStatements(dialect: Dialect, row: 'NEW' | 'OLD', sign: '+' | '-'): string[] {
  const { rank } = dialectSql(dialect);
  // The neighbour in (cycle_ms, id) order, one index seek: PostgreSQL bounds an index range by a
  // row comparison; SQLite bounds only its first column (it would read every tie), so there the
  // neighbour is looked for among equal cycle times first, then at the next cycle time.
  const neighbour = (q: string, dir: '<' | '>') => {
    const order = dir === '<' ? 'DESC' : 'ASC';
    const from = `FROM approval_cycle_times f WHERE f.group_id = approval_cycle_groups.id AND f.in_window = 1`;
    const ms = `approval_cycle_groups.${q}_ms`;
    const id = `approval_cycle_groups.${q}_id`;
    const sorted = `ORDER BY f.cycle_ms ${order}, f.id ${order} LIMIT 1`;
    if (dialect === 'pg')
      return `(SELECT f.id ${from} AND (f.cycle_ms, f.id) ${dir} (${ms}, ${id}) ${sorted})`;
    return `coalesce(
      (SELECT f.id ${from} AND f.cycle_ms = ${ms} AND f.id ${dir} ${id} ${sorted}),
      (SELECT f.id ${from} AND f.cycle_ms ${dir} ${ms} ${sorted}))`;
  };
  const before = (q: string) =>
    `CASE WHEN (${row}.cycle_ms, ${row}.id) < (${q}_ms, ${q}_id) THEN 1 ELSE 0 END`;
  const pointer = (q: 'med' | 'p90') => {
    const pred = neighbour(q, '<');
    const succ = neighbour(q, '>');
    if (sign === '+') {
      // The pointer's rank becomes r + 1 when the new row sorts before it.
      const now = `${rank(q, 'n')} + ${before(q)}`;
      return `CASE WHEN n = 0 THEN ${row}.id
        WHEN ${now} = ${rank(q, 'n + 1')} THEN ${q}_id
        WHEN ${now} > ${rank(q, 'n + 1')} THEN ${pred}
        ELSE ${succ} END`;
    }
    // The row that left is gone from the index: its neighbours are the candidates.
    const now = `${rank(q, 'n')} - ${before(q)}`;
    return `CASE WHEN n <= 1 THEN NULL
      WHEN ${q}_id = ${row}.id THEN CASE WHEN ${rank(q, 'n - 1')} = ${rank(q, 'n')} THEN ${succ} ELSE ${pred} END
      WHEN ${now} = ${rank(q, 'n - 1')} THEN ${q}_id
      WHEN ${now} > ${rank(q, 'n - 1')} THEN ${pred}
      ELSE ${succ} END`;
  };
  const out: string[] = [];
  if (dialect === 'pg')
    out.push(`PERFORM 1 FROM approval_cycle_groups WHERE id = ${row}.group_id FOR UPDATE`);
  out.push(
    `UPDATE approval_cycle_groups SET
      med_id = ${pointer('med')},
      p90_id = ${pointer('p90')},
      n = n ${sign} 1,
      within_sla = within_sla ${sign} ${row}.within_sla
    WHERE id = ${row}.group_id`,
    `UPDATE approval_cycle_groups SET
      med_ms = (SELECT f.cycle_ms FROM approval_cycle_times f WHERE f.id = approval_cycle_groups.med_id),
      p90_ms = (SELECT f.cycle_ms FROM approval_cycle_times f WHERE f.id = approval_cycle_groups.p90_id)
    WHERE id = ${row}.group_id`,
  );
  return out;
}

const body = (statements: string[]) => statements.map((s) => s + ';').join('\n');

/** Every trigger and function this migration creates (for down and for the schema test). */
export function triggerNames(dialect: Dialect): { table: string; name: string }[] {
  const out: { table: string; name: string }[] = [];
  for (const c of concerns(dialect)) {
    const events = dialect === 'pg' ? ['insert_delete', 'update'] : ['insert', 'delete', 'update'];
    for (const e of events) out.push({ table: c.source, name: `${c.name}_${e}` });
  }
  const quantile = dialect === 'pg' ? ['insert_delete', 'update'] : ['insert', 'delete', 'join', 'leave'];
  for (const e of quantile)
    out.push({ table: 'approval_cycle_times', name: `dashboard_cycle_quantiles_${e}` });
  return out;
}

async function createTriggers(knex: Knex, dialect: Dialect): Promise<void> {
  for (const c of concerns(dialect)) {
    if (dialect === 'pg') {
      await knex.raw(`CREATE FUNCTION ${c.name}() RETURNS trigger AS $$
        BEGIN
          IF TG_OP <> 'INSERT' THEN
            ${body(c.remove('OLD'))}
          END IF;
          IF TG_OP <> 'DELETE' THEN
            ${body(c.add('NEW'))}
          END IF;
          RETURN NULL;
        END
        $$ LANGUAGE plpgsql`);
      await knex.raw(`CREATE TRIGGER ${c.name}_insert_delete AFTER INSERT OR DELETE ON ${c.source}
        FOR EACH ROW EXECUTE FUNCTION ${c.name}()`);
      await knex.raw(`CREATE TRIGGER ${c.name}_update AFTER UPDATE OF ${c.watch.join(', ')} ON ${c.source}
        FOR EACH ROW WHEN (${c.watch.map((w) => `OLD.${w} IS DISTINCT FROM NEW.${w}`).join(' OR ')})
        EXECUTE FUNCTION ${c.name}()`);
    } else {
      await knex.raw(`CREATE TRIGGER ${c.name}_insert AFTER INSERT ON ${c.source} FOR EACH ROW
        BEGIN ${body(c.add('NEW'))} END`);
      await knex.raw(`CREATE TRIGGER ${c.name}_delete AFTER DELETE ON ${c.source} FOR EACH ROW
        BEGIN ${body(c.remove('OLD'))} END`);
      await knex.raw(`CREATE TRIGGER ${c.name}_update AFTER UPDATE OF ${c.watch.join(', ')} ON ${c.source}
        FOR EACH ROW WHEN ${c.watch.map((w) => `OLD.${w} IS NOT NEW.${w}`).join(' OR ')}
        BEGIN ${body([...c.remove('OLD'), ...c.add('NEW')])} END`);
    }
  }
  // Cycle-time rows join their group when inserted in the window (or brought back into it) and
  // leave it when deleted or moved out of it. Nothing else about them changes.
  if (dialect === 'pg') {
    await knex.raw(`CREATE FUNCTION dashboard_cycle_quantiles() RETURNS trigger AS $$
      BEGIN
        IF TG_OP <> 'INSERT' AND OLD.in_window = 1 THEN
          ${body(quantileStatements('pg', 'OLD', '-'))}
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.in_window = 1 THEN
          ${body(quantileStatements('pg', 'NEW', '+'))}
        END IF;
        RETURN NULL;
      END
      $$ LANGUAGE plpgsql`);
    await knex.raw(`CREATE TRIGGER dashboard_cycle_quantiles_insert_delete AFTER INSERT OR DELETE
      ON approval_cycle_times FOR EACH ROW EXECUTE FUNCTION dashboard_cycle_quantiles()`);
    await knex.raw(`CREATE TRIGGER dashboard_cycle_quantiles_update AFTER UPDATE OF in_window
      ON approval_cycle_times FOR EACH ROW WHEN (OLD.in_window IS DISTINCT FROM NEW.in_window)
      EXECUTE FUNCTION dashboard_cycle_quantiles()`);
  } else {
    await knex.raw(`CREATE TRIGGER dashboard_cycle_quantiles_insert AFTER INSERT ON approval_cycle_times
      FOR EACH ROW WHEN NEW.in_window = 1 BEGIN ${body(quantileStatements('sqlite', 'NEW', '+'))} END`);
    await knex.raw(`CREATE TRIGGER dashboard_cycle_quantiles_delete AFTER DELETE ON approval_cycle_times
      FOR EACH ROW WHEN OLD.in_window = 1 BEGIN ${body(quantileStatements('sqlite', 'OLD', '-'))} END`);
    await knex.raw(`CREATE TRIGGER dashboard_cycle_quantiles_join AFTER UPDATE OF in_window ON approval_cycle_times
      FOR EACH ROW WHEN OLD.in_window = 0 AND NEW.in_window = 1
      BEGIN ${body(quantileStatements('sqlite', 'NEW', '+'))} END`);
    await knex.raw(`CREATE TRIGGER dashboard_cycle_quantiles_leave AFTER UPDATE OF in_window ON approval_cycle_times
      FOR EACH ROW WHEN OLD.in_window = 1 AND NEW.in_window = 0
      BEGIN ${body(quantileStatements('sqlite', 'OLD', '-'))} END`);
  }
}

/** The counters for the rows already there (a migrated database with a portfolio). */
async function backfill(knex: Knex, dialect: Dialect): Promise<void> {
  const sql = dialectSql(dialect);
  await knex.raw(`INSERT INTO portfolio_totals
      (health, phase, status, projects, budget_planned, budget_actual, late_milestones, progress_sum, progress_budget, overruns)
    SELECT health, phase, status, count(*), sum(budget_planned), sum(budget_actual), sum(late_milestones),
      sum(CAST(progress_pct AS DOUBLE PRECISION)), sum(CAST(progress_pct AS DOUBLE PRECISION) * budget_planned),
      sum(CASE WHEN budget_actual > budget_planned THEN 1 ELSE 0 END)
    FROM projects GROUP BY health, phase, status`);
  await knex.raw(`INSERT INTO milestone_open_days (planned_date, open_n, slipped_n)
    SELECT planned_date, count(*),
      sum(CASE WHEN forecast_date IS NOT NULL AND forecast_date > planned_date THEN 1 ELSE 0 END)
    FROM milestones WHERE ${at(OPEN_MILESTONE, 'milestones')} GROUP BY planned_date`);
  await knex.raw(`INSERT INTO approval_request_counts (status, n)
    SELECT status, count(*) FROM approval_requests GROUP BY status`);
  await knex.raw(`INSERT INTO approval_due_days (due_day, n)
    SELECT substr(due_at, 1, 10), count(*) FROM approval_steps
    WHERE status = 'pending' AND due_at IS NOT NULL GROUP BY substr(due_at, 1, 10)`);
  await knex.raw(`INSERT INTO paper_saved_months (month, files, pages, approvals)
    SELECT month, sum(files), sum(pages), sum(approvals) FROM (
      SELECT substr(uploaded_at, 1, 7) AS month, 1 AS files, coalesce(page_count, 0) AS pages, 0 AS approvals
        FROM document_versions
      UNION ALL
      SELECT substr(decided_at, 1, 7), 0, 0, 1 FROM approval_requests r
        WHERE ${at(DECIDED_REQUEST, 'r')}
    ) x GROUP BY month`);
  await knex.raw(`INSERT INTO project_report_dues (project_id, frequency, last_end, due_from)
    SELECT p.id, p.report_frequency, coalesce(r.last_end, ''),
      ${sql.greatest(`coalesce(${sql.dayAfter('r.last_end')}, '')`, "coalesce(p.actual_start, p.planned_start, '')")}
    FROM projects p
    LEFT JOIN (SELECT project_id, max(period_end) AS last_end FROM status_reports GROUP BY project_id) r
      ON r.project_id = p.id
    WHERE p.status = 'active' AND p.phase <> 'closed'`);
  // Cycle times: the groups (the first Arabic name seen), then the rows, one by one through the
  // quantile triggers.
  await knex.raw(`INSERT INTO approval_cycle_groups (kind, step_no, name_en, name_ar)
    SELECT kind, 0, '', '' FROM approval_requests r WHERE ${at(DECIDED_REQUEST, 'r')} GROUP BY kind
    UNION ALL
    SELECT r.kind, s.step_no, s.name_en, min(s.name_ar) FROM approval_steps s
      JOIN approval_requests r ON r.id = s.request_id
      WHERE ${at(DECIDED_STEP, 's')} GROUP BY r.kind, s.step_no, s.name_en`);
  const requestCycle = sql.cycleMs('r.submitted_at', 'r.decided_at');
  await knex.raw(`INSERT INTO approval_cycle_times (source, source_id, group_id, decided_at, cycle_ms, within_sla)
    SELECT 'r', r.id, g.id, r.decided_at, ${requestCycle}, 0
    FROM approval_requests r JOIN approval_cycle_groups g ON g.kind = r.kind AND g.step_no = 0 AND g.name_en = ''
    WHERE ${at(DECIDED_REQUEST, 'r')} AND ${requestCycle} IS NOT NULL ORDER BY r.id`);
  const stepCycle = sql.cycleMs('s.started_at', 's.decided_at');
  await knex.raw(`INSERT INTO approval_cycle_times (source, source_id, group_id, decided_at, cycle_ms, within_sla)
    SELECT 's', s.id, g.id, s.decided_at, ${stepCycle},
      CASE WHEN s.due_at IS NULL OR s.decided_at <= s.due_at THEN 1 ELSE 0 END
    FROM approval_steps s
    JOIN approval_requests r ON r.id = s.request_id
    JOIN approval_cycle_groups g ON g.kind = r.kind AND g.step_no = s.step_no AND g.name_en = s.name_en
    WHERE ${at(DECIDED_STEP, 's')} AND ${stepCycle} IS NOT NULL ORDER BY s.id`);
}

export async function up(knex: Knex): Promise<void> {
  const dialect: Dialect = knex.client.config.client === 'pg' ? 'pg' : 'sqlite';

  await knex.schema.createTable('portfolio_totals', (t) => {
    t.string('health', 10).notNullable();
    t.string('phase', 20).notNullable();
    t.string('status', 20).notNullable();
    t.integer('projects').notNullable().defaultTo(0);
    t.bigInteger('budget_planned').notNullable().defaultTo(0);
    t.bigInteger('budget_actual').notNullable().defaultTo(0);
    t.integer('late_milestones').notNullable().defaultTo(0);
    t.double('progress_sum').notNullable().defaultTo(0);
    t.double('progress_budget').notNullable().defaultTo(0);
    t.integer('overruns').notNullable().defaultTo(0);
    t.primary(['health', 'phase', 'status']);
  });
  await knex.schema.createTable('milestone_open_days', (t) => {
    t.string('planned_date', 10).primary();
    t.integer('open_n').notNullable().defaultTo(0);
    t.integer('slipped_n').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('approval_request_counts', (t) => {
    t.string('status', 20).primary();
    t.integer('n').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('approval_due_days', (t) => {
    t.string('due_day', 10).primary();
    t.integer('n').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('paper_saved_months', (t) => {
    t.string('month', 7).primary();
    t.integer('files').notNullable().defaultTo(0);
    t.bigInteger('pages').notNullable().defaultTo(0);
    t.integer('approvals').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('project_report_dues', (t) => {
    t.integer('project_id').primary();
    t.string('frequency', 10).notNullable();
    // '' when the project has reported nothing yet (sorts first, as "never" does on the card).
    t.string('last_end', 10).notNullable();
    t.string('due_from', 10).notNullable();
    t.index(['frequency', 'due_from']);
  });
  await knex.schema.createTable('approval_cycle_groups', (t) => {
    t.increments('id').primary();
    t.string('kind', 30).notNullable();
    // 0 for the requests of the kind; otherwise the step's position and English name.
    t.integer('step_no').notNullable();
    t.string('name_en', 120).notNullable();
    t.string('name_ar', 120).notNullable();
    t.integer('n').notNullable().defaultTo(0);
    t.integer('within_sla').notNullable().defaultTo(0);
    t.integer('med_id');
    t.bigInteger('med_ms');
    t.integer('p90_id');
    t.bigInteger('p90_ms');
    t.unique(['kind', 'step_no', 'name_en']);
  });
  await knex.schema.createTable('approval_cycle_times', (t) => {
    t.increments('id').primary();
    // 'r': an approval request; 's': an approval step.
    t.string('source', 1).notNullable();
    t.integer('source_id').notNullable();
    t.integer('group_id').notNullable().references('approval_cycle_groups.id');
    t.string('decided_at', 30).notNullable();
    t.bigInteger('cycle_ms').notNullable();
    t.integer('within_sla').notNullable();
    t.integer('in_window').notNullable().defaultTo(1);
    t.unique(['source', 'source_id']);
    t.index(['group_id', 'in_window', 'cycle_ms', 'id']);
    t.index(['in_window', 'decided_at']);
  });

  // The late list reads open milestones in planned order; the overrun list, projects by overrun.
  await knex.raw(`CREATE INDEX milestones_open_planned_index ON milestones (planned_date)
    WHERE status NOT IN ('completed', 'cancelled')`);
  await knex.raw(`CREATE INDEX projects_overrun_index ON projects ((budget_actual - budget_planned) DESC, code)
    WHERE budget_actual > budget_planned`);

  await createTriggers(knex, dialect);
  await backfill(knex, dialect);
}

export async function down(knex: Knex): Promise<void> {
  const dialect: Dialect = knex.client.config.client === 'pg' ? 'pg' : 'sqlite';
  for (const t of triggerNames(dialect))
    await knex.raw(
      dialect === 'pg'
        ? `DROP TRIGGER IF EXISTS ${t.name} ON ${t.table}`
        : `DROP TRIGGER IF EXISTS ${t.name}`,
    );
  if (dialect === 'pg') {
    for (const c of concerns(dialect)) await knex.raw(`DROP FUNCTION IF EXISTS ${c.name}()`);
    await knex.raw('DROP FUNCTION IF EXISTS dashboard_cycle_quantiles()');
  }
  await knex.raw('DROP INDEX IF EXISTS projects_overrun_index');
  await knex.raw('DROP INDEX IF EXISTS milestones_open_planned_index');
  for (const t of [
    'approval_cycle_times',
    'approval_cycle_groups',
    'project_report_dues',
    'paper_saved_months',
    'approval_due_days',
    'approval_request_counts',
    'milestone_open_days',
    'portfolio_totals',
  ])
    await knex.schema.dropTableIfExists(t);
}
