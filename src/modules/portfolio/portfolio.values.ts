/**
 * The closed vocabularies of programs and projects, in the order people read them (the phases in
 * lifecycle order). The database enforces the same lists (enu columns of the portfolio migration);
 * the labels are in the `common` catalogue (`common:phase.*`, `common:projectStatus.*`, …).
 */
export const PHASES = ['initiation', 'planning', 'execution', 'closure', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

export const PROJECT_STATUSES = ['active', 'on_hold', 'cancelled', 'completed'] as const;
export type ProjectStatus = (typeof PROJECT_STATUSES)[number];

export const PROGRAM_STATUSES = ['planned', 'active', 'on_hold', 'completed', 'cancelled'] as const;
export type ProgramStatus = (typeof PROGRAM_STATUSES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const HEALTHS = ['green', 'amber', 'red'] as const;

export const REPORT_FREQUENCIES = ['weekly', 'monthly'] as const;

/** Program and project codes: upper-case letters, digits and hyphens, e.g. DST or DST-01. */
export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9-]{0,19}$/;
